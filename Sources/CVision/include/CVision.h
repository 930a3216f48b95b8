#ifndef CVISION_H
#define CVISION_H
/*
 * Plain C interface over OpenCV 4 for Facet's face pipeline.
 * No C++ type crosses this header. Every function catches all C++ exceptions
 * (cv::Exception included) and reports them as a status code plus a message
 * written into the caller's `err` buffer (NUL-terminated, truncated to
 * `err_len`). Pixel buffers are 8-bit, one channel, row-major, stride = width.
 */
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/// Status codes returned by every fallible function.
enum {
    CV_OK = 0,
    CV_ERR_IO = 1,       ///< file missing or unreadable / unwritable
    CV_ERR_DECODE = 2,   ///< bytes are not an image OpenCV can decode, or a damaged (truncated) JPEG/PNG
    CV_ERR_ARG = 3,      ///< invalid argument (size, pointer, parameter)
    CV_ERR_OPENCV = 4,   ///< OpenCV raised cv::Exception
    CV_ERR_MEMORY = 5,   ///< allocation failed
    CV_ERR_OTHER = 6     ///< any other C++ exception
};

/// OpenCV version string, e.g. "4.6.0".
const char *cv_version(void);

/// Caps OpenCV's worker threads (0 or 1 = run on the calling thread). Returns the previous value.
int cv_set_num_threads(int n);
/// OpenCV's current worker-thread setting.
int cv_get_num_threads(void);

// MARK: images

/// An 8-bit grayscale image whose pixels were allocated by CVision (free with cv_gray_free).
typedef struct cv_gray {
    uint8_t *pixels;
    int width;
    int height;
} cv_gray;

/// Frees the pixels of an image returned by a cv_decode_* function and zeroes the struct.
void cv_gray_free(cv_gray *image);

/// Decodes any image file OpenCV reads, converted to grayscale. A JPEG without its end-of-image
/// marker or a PNG without its IEND chunk is CV_ERR_DECODE ("PATH: damaged JPEG: ..."), not a
/// partly decoded image.
int cv_decode_file_gray(const char *path, cv_gray *out, char *err, size_t err_len);
/// Decodes an encoded image held in memory (PNG, JPEG, ...), converted to grayscale; damaged
/// JPEG/PNG data are refused as by cv_decode_file_gray.
int cv_decode_bytes_gray(const uint8_t *bytes, size_t length, cv_gray *out, char *err, size_t err_len);
/// Writes a grayscale image; the format follows the file extension (.png, .jpg, .pgm, ...).
int cv_write_gray(const char *path, const uint8_t *pixels, int width, int height, char *err, size_t err_len);
/// Resizes src (sw x sh) into dst (dw x dh): area averaging when shrinking, bilinear when growing.
int cv_resize_gray(const uint8_t *src, int sw, int sh, uint8_t *dst, int dw, int dh, char *err, size_t err_len);
/// Rotates src by `degrees` (counter-clockwise as displayed) about its centre into dst of the same
/// size; borders are replicated. Used to make test inputs with a known tilt.
int cv_rotate_gray(const uint8_t *src, int width, int height, double degrees, uint8_t *dst,
                   char *err, size_t err_len);

// MARK: detection

/// Opaque pair of Haar cascades (face and eye). Not safe to share between threads: create one per worker.
typedef struct cv_detector cv_detector;

/// Loads a face cascade and an eye cascade (OpenCV XML). Returns NULL and fills err on failure.
cv_detector *cv_detector_create(const char *face_cascade_path, const char *eye_cascade_path,
                                char *err, size_t err_len);
/// Releases a detector (NULL is ignored).
void cv_detector_free(cv_detector *detector);

/// An axis-aligned box in pixel coordinates.
typedef struct cv_rect { int x, y, width, height; } cv_rect;

/// Viola-Jones knobs for faces and eyes.
typedef struct cv_detect_params {
    double face_scale_factor;  ///< pyramid step, e.g. 1.1
    int face_min_neighbors;    ///< e.g. 4
    int face_min_size;         ///< smallest face side in pixels of the (upsampled) image, e.g. 30
    double eye_scale_factor;   ///< e.g. 1.1
    int eye_min_neighbors;     ///< e.g. 3
    int eye_region_width;      ///< the upper face region is resized to this width before eye search, e.g. 160
} cv_detect_params;

/// Finds faces, largest first. Writes up to max_out boxes and the total number found into *count.
int cv_detect_faces(cv_detector *detector, const uint8_t *pixels, int width, int height,
                    const cv_detect_params *params, cv_rect *out, int max_out, int *count,
                    char *err, size_t err_len);

/// Eye centres in image coordinates; `found` is 0 when no plausible pair was seen.
typedef struct cv_eyes {
    int found;
    int candidates;    ///< eye boxes the cascade returned in the face's upper region
    double left_x, left_y;    ///< the eye on the image's left
    double right_x, right_y;  ///< the eye on the image's right
} cv_eyes;

/// Searches the upper part of `face` for the eye pair nearest the expected positions.
int cv_detect_eyes(cv_detector *detector, const uint8_t *pixels, int width, int height, cv_rect face,
                   const cv_detect_params *params, cv_eyes *out, char *err, size_t err_len);

// MARK: alignment

/// Face-location normalisation settings (paper section 3.3).
typedef struct cv_align_params {
    int size;             ///< output side N
    int detect;           ///< 0: skip detection, output the centre square of the image resized to N
    int level_eyes;       ///< 1: rotate in-plane so the eye line is horizontal
    int scale_by_eyes;    ///< 1: scale so the eye distance is constant; 0: scale by the face box width
    double eye_distance;  ///< eye distance in the output, as a fraction of N (e.g. 0.40)
    double eye_row;       ///< row of the eye midpoint in the output, as a fraction of N (e.g. 0.38)
    int upsample_below;   ///< images whose shorter side is below this are upsampled to it before detection
    double tilt_search;   ///< when no face+eye pair is found upright, retry with the image turned by -t and +t degrees (0: off)
    cv_detect_params detect_params;
} cv_align_params;

/// What the aligner found; coordinates refer to the input image.
typedef struct cv_align_result {
    int faces;         ///< faces detected in the frame the face was taken from
    double search_angle;  ///< the turn of the image (0, -t or +t) in which the face was found
    int face_found;    ///< 0: output is the centre square of the whole image
    int eyes_found;    ///< 0 with face_found: eye fallback, positions taken from the face box
    cv_rect face;
    cv_eyes eyes;          ///< eyes used; on fallback, the positions a face box implies
    double angle_degrees;  ///< eye-line tilt used for levelling (positive = right eye lower)
} cv_align_result;

/// Detects, levels, scales and crops one face into out (size x size bytes). Among the faces found
/// (largest first, up to three) the first with an eye pair wins; if none has one, the largest face is
/// used with eye positions implied by its box (eye fallback).
int cv_align_face(cv_detector *detector, const uint8_t *pixels, int width, int height,
                  const cv_align_params *params, uint8_t *out, cv_align_result *result,
                  char *err, size_t err_len);

/// The faces of one photo, each aligned (see cv_align_faces). Free with cv_face_list_free.
typedef struct cv_face_list cv_face_list;

/// Detects every face (upright, largest first, at most max_faces boxes) and aligns each one with
/// the same routine as cv_align_face, run on a cut-out of the box grown by `margin` box widths per
/// side (retried with 0.15 when a neighbour wins the search). A face the cut-out does not find
/// again has face_found = 0 and its detected box. With detection off the one result is the centre
/// square, which is also its `face` box; when no face is found upright, the whole image is aligned
/// as by cv_align_face (tilted search included) and kept only if it has a face. `faces` is the
/// number of faces returned. With from_detection = 1, a face whose eye pair is found in its detected
/// box is aligned from that box and those eyes, without the cut-out search (faster; its box and eyes
/// can differ by a few pixels); the others go through the cut-out as above.
int cv_align_faces(cv_detector *detector, const uint8_t *pixels, int width, int height,
                   const cv_align_params *params, double margin, int max_faces, int from_detection,
                   cv_face_list **out, char *err, size_t err_len);
/// Number of faces in a list (0 for NULL).
int cv_face_list_count(const cv_face_list *list);
/// Copies face `index`: its crop (size x size bytes) and what was found. CV_ERR_ARG when out of range.
int cv_face_list_get(const cv_face_list *list, int index, uint8_t *crop, cv_align_result *result);
/// Releases a list (NULL is ignored).
void cv_face_list_free(cv_face_list *list);

#ifdef __cplusplus
}
#endif
#endif
#include "CVisionRender.h" // synthetic face renderer (render*.cpp), part of the umbrella module
#include "CVisionAnnotate.h" // drawing predictions on photos (annotate.cpp)
#include "CVisionGrid.h" // sample grids as PNG (grid.cpp)
