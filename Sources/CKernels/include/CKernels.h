#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Streaming dense forward for a few samples (Dense.swift, batch 1-8):
///   y[s, u] = b[u] + sum_i W[u, i] * x[s, i]   for u in [u0, u1), s in [0, n)
/// W is row-major [units, inputs] as the layer keeps it (no repacking); x is [n, inputs], y is
/// [n, units] (ldy = units). Each output is one dot product in a fixed order (16 lanes of partial
/// sums, then the lanes in order, then the tail, then the bias), so the result does not depend on
/// how the rows are split over threads. n must be 1...8.
void facet_dense_gemv(const float *w, const float *b, const float *x, float *y,
                      size_t inputs, size_t units, size_t u0, size_t u1, size_t n);

/// Which vector path the kernels below take in this process: "avx512", "avx2" (with FMA) or
/// "scalar", the best the CPU has, or a lower one asked for with FACET_KERNEL_ISA=avx2|scalar.
/// Every path gives the same results bit for bit (Tests/kernels/run.sh compares them).
const char *facet_kernel_isa(void);

/// Max-pooling with stride 2 over `planes` planes of h×w (MaxPool2D.swift): dst[p, i, j] is the
/// largest of the size×size window at (2i, 2j), clipped to the plane (ceil mode's partial windows),
/// and am[p, i, j] its index y·w + x inside the plane: the first in row-major order among equal
/// maxima; NaN never wins; an all −∞ (or NaN) window gives −∞ at the window's first index.
/// Returns 0, or −1 when its scratch (2·h rows of about ow floats) cannot be allocated.
int facet_maxpool_stride2(const float *src, float *dst, int32_t *am, size_t planes, size_t h,
                          size_t w, size_t oh, size_t ow, size_t size);

/// Local contrast normalisation of one sample x [c, h, w] (LocalContrastNorm.swift): writes y, and
/// for the backward the local mean m, σ and the divisor d [h, w] and the mean σ, bit for bit as
/// the layer's Swift loops did. kernel: the 1-D Gaussian (size taps); inverse_norm: 1/Z per pixel;
/// buffer: 3·h·w floats of scratch.
void facet_lcn_forward(const float *x, float *y, float *m, float *sigma, float *d, float *mean_sigma,
                       size_t c, size_t h, size_t w, size_t size, const float *kernel,
                       const float *inverse_norm, float epsilon, float *buffer);

/// Its backward for one sample: dx [c, h, w] from g = dL/dy, the forward's input x and what the
/// forward kept (m, σ, d, the mean σ). buffer: 7·h·w floats of scratch.
void facet_lcn_backward(const float *g, const float *x, const float *m, const float *sigma, const float *d, float mean,
                        float *dx, size_t c, size_t h, size_t w, size_t size, const float *kernel,
                        const float *inverse_norm, float epsilon, float *buffer);

/// im2col for one image x [c, h, w] (Conv2D.swift): row r = (ch, i, j) of the patch matrix, at
/// dst + r·row_stride, holds x[ch, y·stride + i − pad, x·stride + j − pad] for y < oh, x < ow
/// (0 outside the image).
void facet_im2col(const float *src, float *dst, size_t row_stride, size_t c, size_t h, size_t w,
                  size_t kh, size_t kw, size_t stride, size_t pad, size_t oh, size_t ow);

/// Its transpose: adds the patch-gradient matrix back into the image's input gradient dst
/// [c, h, w], row by row in im2col's order.
void facet_col2im(const float *src, float *dst, size_t row_stride, size_t c, size_t h, size_t w,
                  size_t kh, size_t kw, size_t stride, size_t pad, size_t oh, size_t ow);

#endif
