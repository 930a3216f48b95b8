#ifndef FACET_CONV_H
#define FACET_CONV_H
#include <stddef.h>

/// oneDNN's convolution primitive at one conv's shape and batch size, with the engine's NCHW
/// tensors and OIHW weights at its edges: the primitive runs on its own blocked layouts (nChw16c
/// on AVX-512) and reorders move data in and out. Forward, backward data and backward weights;
/// the backward primitives are made on first use. Not thread-safe: one caller at a time per handle.
typedef struct facet_conv facet_conv;

/// A convolution's shape: input C×H×W, M maps of kh×kw, stride, zero padding, output OH×OW.
typedef struct {
    int channels, height, width, maps, kernel_height, kernel_width, stride, padding, out_height, out_width;
} facet_conv_shape;

/// The primitives for `batch` images on `threads` OpenMP threads, or NULL when oneDNN would run
/// this shape on something other than a jit convolution kernel (its GEMM or reference code, which
/// the engine's im2col path beats) or fails. `why` (may be NULL) receives a static reason then.
facet_conv *facet_conv_create(facet_conv_shape shape, int batch, int threads, const char **why);
void facet_conv_destroy(facet_conv *conv);

/// oneDNN's name for the forward kernel, such as "jit:avx512_core".
const char *facet_conv_impl(const facet_conv *conv);

/// Floats of scratch a forward needs (the input and output in the primitive's layouts) and a
/// backward (the input, the output gradient and, where it cannot take the input's place, the
/// input gradient).
size_t facet_conv_forward_scratch_floats(const facet_conv *conv);
size_t facet_conv_backward_scratch_floats(const facet_conv *conv);

/// y[N,M,OH,OW] = conv(x[N,C,H,W], w[M,C,kh,kw]) + b[M]. Returns 0, or oneDNN's status.
int facet_conv_forward(facet_conv *conv, const float *x, const float *w, const float *b, float *scratch, float *y);

/// From x and dy[N,M,OH,OW]: dw[M,C,kh,kw] and db[M] (written, not added), and dx[N,C,H,W] unless
/// dx is NULL. x is reordered again rather than kept from the forward in the primitive's layout:
/// a buffer the size of the input less between the passes, for one more reorder. Returns 0, or
/// oneDNN's status.
int facet_conv_backward(facet_conv *conv, const float *x, const float *dy, const float *w, float *scratch,
                        float *dx, float *dw, float *db);
#endif
