#ifndef CVISION_RENDER_H
#define CVISION_RENDER_H
// Synthetic face renderer: plain C over OpenCV drawing (render*.cpp).
// Geometry (3-D shape model, pose, placement) is computed by the caller
// (FacetVision/Synthetic); this side only draws 2-D landmarks with shading.
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/// Landmark layout: the 68 iBUG points, then pupils, skull outline, hairline and ears.
enum {
    CVR_JAW = 0,            // 17 points, subject's right temple (image left) → chin (8) → other temple
    CVR_BROW_R = 17,        // 5 points, image-left brow, outer → inner
    CVR_BROW_L = 22,        // 5 points, image-right brow, inner → outer
    CVR_NOSE_BRIDGE = 27,   // 4 points, top → tip (30)
    CVR_NOSE_BASE = 31,     // 5 points, image-left wing → subnasale (33) → right wing
    CVR_EYE_R = 36,         // 6 points: outer corner, 2 upper lid, inner corner, 2 lower lid
    CVR_EYE_L = 42,         // 6 points: inner corner, 2 upper lid, outer corner, 2 lower lid
    CVR_LIP_OUTER = 48,     // 12 points: left corner (48), upper lip → right corner (54), lower lip
    CVR_LIP_INNER = 60,     // 8 points: left corner (60), upper → right corner (64), lower
    CVR_PUPIL_R = 68,       // image-left pupil (eye centre)
    CVR_PUPIL_L = 69,       // image-right pupil
    CVR_SKULL = 70,         // 9 points: outline from image-left temple over the crown to image-right temple
    CVR_HAIRLINE = 79,      // 7 points: forehead hairline, image-left → image-right
    CVR_EAR_R = 86,         // 3 points: top, outer middle, lobe (image left)
    CVR_EAR_L = 89,         // 3 points: top, outer middle, lobe (image right)
    CVR_LANDMARK_COUNT = 92
};

/// Everything the renderer needs for one face; coordinates are output pixels.
typedef struct CVRFace {
    float x[CVR_LANDMARK_COUNT];     // projected landmark x (output pixels)
    float y[CVR_LANDMARK_COUNT];     // projected landmark y (output pixels)
    float z[CVR_LANDMARK_COUNT];     // depth toward the camera (face units; used for ear/side visibility)
    float yaw, pitch;                // head pose in radians (shading normals, hair side)
    // Appearance, each 0...1 unless noted.
    float skin;                      // base skin grey level (0 dark ... 1 light)
    float texture;                   // skin blotchiness
    float wrinkles;                  // forehead lines, crow's feet, folds
    float browDark, lipDark, irisDark;
    float hairDark;                  // 0 white/grey ... 1 black
    float hairLength;                // 0 bald/cropped ... 1 long past the shoulders
    float hairVolume;                // how far the hair stands off the skull
    float fringe;                    // 0 forehead free ... 1 fringe down to the brows
    int32_t glasses;                 // 0 none, 1 thin frames, 2 thick frames, 3 sunglasses
    float beard;                     // 0 none ... 1 heavy
    float moustache;                 // 0 none ... 1 heavy
    // Expression cues drawn as creases (geometry is already in the landmarks).
    float smile, noseWrinkle, browKnit;
    // Lighting and camera.
    float lightX, lightY;            // light direction in the image plane (-1...1)
    float ambient;                   // 0...1 share of unshaded light
    float contrast;                  // output contrast factor around mid grey (~0.6...1.3)
    float brightness;                // output offset in grey levels (-40...40)
    float background;                // background mean grey 0...1
    int32_t clutter;                 // number of background shapes
    int32_t body;                    // 1: draw neck, shoulders and clothes
    float noise;                     // sensor noise sigma in grey levels (output pixels)
    float blur;                      // Gaussian blur sigma in output pixels (0: none)
    int32_t occluder;                // 0 none, 1 hand, 2 hair lock, 3 scarf
    float occluderAmount;            // 0...1 how much of the face it covers
    uint64_t seed;                   // texture, clutter and noise generator seed
} CVRFace;

/// Renders one face into `out` (width*height floats, grey 0...255, row-major).
/// Draws at `supersample`× the output size and downsamples with area averaging.
/// Returns 0 on success, otherwise writes a message into err (if errLen > 0) and returns -1.
int cvr_render_face(const CVRFace *face, int width, int height, int supersample,
                    float *out, char *err, int errLen);

/// Writes a grey image (width*height floats 0...255, clamped) to a PNG file. 0 or -1 with err.
int cvr_write_gray_png(const char *path, const float *pixels, int width, int height,
                       char *err, int errLen);

/// Lays `count` grey images (each size*size floats) out as a labelled grid and writes it as PNG.
/// captions: `count` strings, each up to 5 lines separated by '\n'; cell: pixels per face.
int cvr_write_sample_sheet(const char *path, const float *images, int count, int size,
                           int columns, int cell, const char *const *captions,
                           char *err, int errLen);

#ifdef __cplusplus
}
#endif
#endif
