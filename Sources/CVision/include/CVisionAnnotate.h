#ifndef CVISION_ANNOTATE_H
#define CVISION_ANNOTATE_H
/*
 * Drawing predictions onto a copy of a photo (facet predict --annotate).
 * Same conventions as CVision.h: every function catches all C++ exceptions and
 * returns a status code plus a message in `err`.
 */
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/// One face to draw: its box, optionally its eye centres, and a caption (UTF-8; drawn as ASCII).
typedef struct cv_annotation {
    int x, y, width, height;   ///< face box in pixels of the input image
    int has_eyes;              ///< 1: draw the two eye centres
    double left_x, left_y, right_x, right_y;
    const char *label;         ///< one caption line per '\n'; NULL for none
} cv_annotation;

/// Reads the image at in_path in colour, draws every box, eye mark and caption, and writes it to
/// out_path (format from its extension). Returns CV_ERR_DECODE when in_path is not an image.
int cv_annotate_file(const char *in_path, const char *out_path, const cv_annotation *items, int count,
                     char *err, size_t err_len);

#ifdef __cplusplus
}
#endif
#endif
