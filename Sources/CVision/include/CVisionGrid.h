#ifndef CVISION_GRID_H
#define CVISION_GRID_H
/*
 * Grids of face crops with captions, encoded as PNG in memory (samples, mistakes, facet data show).
 * The caller decides the layout (where each tile and text goes); CVision pastes, draws text with
 * OpenCV's Hershey font and encodes. Same conventions as CVision.h: every function catches all
 * C++ exceptions and returns a status code plus a message in `err`.
 */
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/// One crop pasted at (x, y), each pixel enlarged to scale × scale (nearest neighbour, so every
/// enlarged pixel keeps the crop's exact value).
typedef struct cv_grid_tile {
    const uint8_t *pixels;  ///< side × side bytes, row-major
    int side;
    int x, y;
    int scale;
} cv_grid_tile;

/// Text drawn in black from (x, y) (top-left), wrapped at word boundaries to `width` pixels, one
/// line per `line_height` pixels, at most `max_lines` lines (the last ends with "..." when cut).
/// '\n' starts a new line. ASCII only: the Hershey font has no other glyphs.
typedef struct cv_grid_text {
    const char *text;
    int x, y, width;
    int line_height;
    int max_lines;
} cv_grid_text;

/// A white width × height grayscale canvas with every tile and text drawn, encoded as PNG into a
/// buffer allocated by CVision (free with cv_bytes_free). A tile or text outside the canvas is CV_ERR_ARG.
int cv_grid_png(int width, int height, const cv_grid_tile *tiles, int tile_count, const cv_grid_text *texts,
                int text_count, uint8_t **png, size_t *png_length, char *err, size_t err_len);

/// Frees a buffer returned by cv_grid_png (NULL is ignored).
void cv_bytes_free(uint8_t *bytes);

#ifdef __cplusplus
}
#endif
#endif
