#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>

/// Streaming dense forward for a few samples (Dense.swift, batch 1-8):
///   y[s, u] = b[u] + sum_i W[u, i] * x[s, i]   for u in [u0, u1), s in [0, n)
/// W is row-major [units, inputs] as the layer keeps it (no repacking); x is [n, inputs], y is
/// [n, units] (ldy = units). Each output is one dot product in a fixed order (16 lanes of partial
/// sums, then the lanes in order, then the tail, then the bias), so the result does not depend on
/// how the rows are split over threads. n must be 1...8.
void facet_dense_gemv(const float *w, const float *b, const float *x, float *y,
                      size_t inputs, size_t units, size_t u0, size_t u1, size_t n);

/// Which code path facet_dense_gemv takes on this CPU: "avx512", "avx2" or "scalar".
const char *facet_dense_gemv_isa(void);

#endif
