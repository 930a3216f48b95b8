// SVG → PNG with librsvg (Debian's librsvg2-dev): the Jupyter kernel sends every figure as PNG beside
// its SVG, because JupyterLab hides SVG in a notebook that is not trusted. No glib type crosses the
// header: Swift sees bytes in and bytes out.
#include "CSVG.h"

#include <librsvg/rsvg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char *data;
    size_t length, capacity;
} buffer_t;

static cairo_status_t append(void *closure, const unsigned char *bytes, unsigned int length) {
    buffer_t *b = closure;
    if (b->length + length > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 65536;
        while (capacity < b->length + length) capacity *= 2;
        unsigned char *grown = realloc(b->data, capacity);
        if (!grown) return CAIRO_STATUS_NO_MEMORY;
        b->data = grown;
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, bytes, length);
    b->length += length;
    return CAIRO_STATUS_SUCCESS;
}

static int fail(char *error, size_t size, const char *what, GError *e) {
    snprintf(error, size, "%s%s%s", what, e ? ": " : "", e ? e->message : "");
    if (e) g_error_free(e);
    return -1;
}

int csvg_render_png(const char *svg, size_t svg_length, double scale,
                    unsigned char **png, size_t *png_length, int *width, int *height,
                    char *error, size_t error_size) {
    GError *e = NULL;
    RsvgHandle *handle = rsvg_handle_new_from_data((const guint8 *)svg, svg_length, &e);
    if (!handle) return fail(error, error_size, "librsvg cannot read the SVG", e);

    gdouble w = 0, h = 0;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(handle, &w, &h)) {
        gboolean has_w, has_h, has_box;
        RsvgLength lw, lh;
        RsvgRectangle box;
        rsvg_handle_get_intrinsic_dimensions(handle, &has_w, &lw, &has_h, &lh, &has_box, &box);
        if (has_box) { w = box.width; h = box.height; }
    }
    if (!(w > 0 && h > 0 && w * scale <= 16384 && h * scale <= 16384)) {
        g_object_unref(handle);
        return fail(error, error_size, "the SVG has no usable size", NULL);
    }
    int pw = (int)ceil(w * scale), ph = (int)ceil(h * scale);
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pw, ph);
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    RsvgRectangle viewport = {0, 0, pw, ph};
    gboolean drawn = rsvg_handle_render_document(handle, cr, &viewport, &e);
    cairo_destroy(cr);
    g_object_unref(handle);
    if (!drawn) {
        cairo_surface_destroy(surface);
        return fail(error, error_size, "librsvg cannot draw the SVG", e);
    }
    buffer_t b = {NULL, 0, 0};
    cairo_status_t status = cairo_surface_write_to_png_stream(surface, append, &b);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        free(b.data);
        return fail(error, error_size, cairo_status_to_string(status), NULL);
    }
    *png = b.data;
    *png_length = b.length;
    *width = pw;
    *height = ph;
    return 0;
}

void csvg_free(void *pointer) { free(pointer); }
