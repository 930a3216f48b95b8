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

/// Floats of the source in the forward primitive's layout: the buffer the caller keeps from
/// forward to backward (`saved`).
size_t facet_conv_saved_floats(const facet_conv *conv);
/// Floats of the scratch that forward and backward need (the destination or its gradient, and the
/// input gradient, in the primitive's layouts).
size_t facet_conv_scratch_floats(const facet_conv *conv);

/// y[N,M,OH,OW] = conv(x[N,C,H,W], w[M,C,kh,kw]) + b[M]. Writes x in the primitive's layout into
/// `saved` for backward (NULL: inference, nothing saved). Returns 0, or oneDNN's status.
int facet_conv_forward(facet_conv *conv, const float *x, const float *w, const float *b, float *saved,
                       float *scratch, float *y);

/// From dy[N,M,OH,OW] and the forward's `saved`: dw[M,C,kh,kw] and db[M] (written, not added),
/// and dx[N,C,H,W] unless dx is NULL. Returns 0, or oneDNN's status.
int facet_conv_backward(facet_conv *conv, const float *saved, const float *dy, const float *w, float *scratch,
                        float *dx, float *dw, float *db);
#endif
