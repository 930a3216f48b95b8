#ifndef CSVG_H
#define CSVG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Renders SVG text as a PNG with librsvg and cairo, `scale` times the SVG's own size in pixels
/// (its width and height, else its viewBox), on white. Returns 0 and sets `*png` (free it with
/// csvg_free) and `*png_length`; on failure returns -1 and writes a message into `error`.
int csvg_render_png(const char *svg, size_t svg_length, double scale,
                    unsigned char **png, size_t *png_length, int *width, int *height,
                    char *error, size_t error_size);

/// Frees what csvg_render_png returned.
void csvg_free(void *pointer);

#ifdef __cplusplus
}
#endif

#endif
