// Local contrast normalisation, one sample's forward and backward (LocalContrastNorm.swift, which
// documents the maths). Swift compiles the engine for baseline x86-64, so its loops ran 4 floats
// wide; here the same loops are compiled three times (AVX-512, AVX2, baseline) and one is chosen
// per process. Bit for bit the same results as those Swift loops and on every path: the same
// operations in the same order, each product and sum rounded on its own (no fused multiply-add:
// FP_CONTRACT off here and -ffp-contract=off in Package.swift), sums over pixels kept serial;
// only independent pixels run side by side in vector lanes.
#include "CKernels.h"
#include "isa.h"
#include <math.h>
#include <string.h>

#pragma STDC FP_CONTRACT OFF

/// Swift's max(x, y) for Float (`y >= x ? y : x`), NaN and signed zeros included.
static inline float swift_max(float x, float y) { return y >= x ? y : x; }

/// out = raw separable Gaussian blur of x (zero padding), times inverse_norm when given.
static inline __attribute__((always_inline)) void
blur(const float *restrict x, float *restrict out, float *restrict scratch, size_t h, size_t w,
     size_t size, const float *restrict kernel, const float *restrict inverse_norm) {
    long r = (long)size / 2, wl = (long)w, hl = (long)h;
    for (size_t p = 0; p < h * w; p++) scratch[p] = 0;
    for (long i = 0; i < hl; i++) {   // horizontal: scratch[i, j] = Σ_a k[a] · x[i, j + a − r]
        const float *restrict src = x + i * wl;
        float *restrict dst = scratch + i * wl;
        for (long a = 0; a < (long)size; a++) {
            float ka = kernel[a];
            long off = a - r, lo = off < 0 ? -off : 0, hi = off > 0 ? wl - off : wl;
            for (long j = lo; j < hi; j++) dst[j] += ka * src[j + off];
        }
    }
    for (long i = 0; i < hl; i++) {   // vertical
        long lo = r - i > 0 ? r - i : 0, hi = hl - i + r < (long)size ? hl - i + r : (long)size;
        float *restrict dst = out + i * wl;
        for (long j = 0; j < wl; j++) dst[j] = 0;
        for (long a = lo; a < hi; a++) {
            float ka = kernel[a];
            const float *restrict row = scratch + (i + a - r) * wl;
            for (long j = 0; j < wl; j++) dst[j] += ka * row[j];
        }
    }
    if (inverse_norm)
        for (size_t p = 0; p < h * w; p++) out[p] *= inverse_norm[p];
}

static inline __attribute__((always_inline)) void
forward_body(const float *restrict x, float *restrict y, float *restrict m, float *restrict sigma,
             float *restrict d, float *restrict mean_sigma, size_t c, size_t h, size_t w, size_t size,
             const float *restrict kernel, const float *restrict inverse_norm, float epsilon,
             float *restrict buffer) {
    size_t hw = h * w;
    float *restrict plane = buffer, *restrict blurred = buffer + hw, *restrict scratch = buffer + 2 * hw;
    float inv_c = 1.0f / (float)c;
    // m = blur((1/C) Σ_c x)
    memcpy(plane, x, sizeof(float) * hw);
    for (size_t ch = 1; ch < c; ch++) {
        const float *restrict src = x + ch * hw;
        for (size_t p = 0; p < hw; p++) plane[p] += src[p];
    }
    for (size_t p = 0; p < hw; p++) plane[p] *= inv_c;
    blur(plane, m, scratch, h, w, size, kernel, inverse_norm);
    // q = (1/C) Σ_c v² with v = x − m. v is not stored: the pass that writes y and the backward
    // compute x − m again (the same rounding), which saves a tensor of memory and of traffic.
    for (size_t p = 0; p < hw; p++) plane[p] = 0;
    for (size_t ch = 0; ch < c; ch++) {
        const float *restrict src = x + ch * hw;
        for (size_t p = 0; p < hw; p++) { float t = src[p] - m[p]; plane[p] += t * t; }
    }
    for (size_t p = 0; p < hw; p++) plane[p] *= inv_c;
    blur(plane, blurred, scratch, h, w, size, kernel, inverse_norm);
    float total = 0;
    for (size_t p = 0; p < hw; p++) { float t = sqrtf(swift_max(blurred[p], 0)); sigma[p] = t; total += t; }
    float mean = total / (float)hw;
    *mean_sigma = mean;
    // scratch holds 1/d so the per-map pass multiplies instead of divides
    for (size_t p = 0; p < hw; p++) {
        float dp = swift_max(swift_max(sigma[p], mean), epsilon);
        d[p] = dp;
        scratch[p] = 1 / dp;
    }
    for (size_t ch = 0; ch < c; ch++) {
        const float *restrict src = x + ch * hw;
        float *restrict dst = y + ch * hw;
        for (size_t p = 0; p < hw; p++) dst[p] = (src[p] - m[p]) * scratch[p];
    }
}

/// Transpose of the normalised blur: blurRaw(u / Z) (the raw Gaussian is symmetric).
static inline __attribute__((always_inline)) void
blur_transposed(const float *restrict u, float *restrict out, float *restrict scratch, float *restrict temp,
                size_t h, size_t w, size_t size, const float *restrict kernel, const float *restrict inverse_norm) {
    for (size_t p = 0; p < h * w; p++) temp[p] = u[p] * inverse_norm[p];
    blur(temp, out, scratch, h, w, size, kernel, NULL);
}

static inline __attribute__((always_inline)) void
backward_body(const float *restrict g, const float *restrict x, const float *restrict m, const float *restrict sigma,
              const float *restrict d, float mean, float *restrict dx, size_t c, size_t h, size_t w,
              size_t size, const float *restrict kernel, const float *restrict inverse_norm, float epsilon,
              float *restrict buffer) {
    size_t hw = h * w;
    float inv_c = 1.0f / (float)c;
    float *restrict gv = buffer, *restrict sum_g = buffer + hw, *restrict sum_v = buffer + 2 * hw;
    float *restrict u = buffer + 3 * hw, *restrict b1 = buffer + 4 * hw, *restrict b2 = buffer + 5 * hw;
    float *restrict scratch = buffer + 6 * hw;
    for (size_t p = 0; p < 3 * hw; p++) buffer[p] = 0;
    for (size_t ch = 0; ch < c; ch++) {
        const float *restrict gs = g + ch * hw, *restrict xs = x + ch * hw;
        for (size_t p = 0; p < hw; p++) {
            float vp = xs[p] - m[p];   // v, as the forward computed it
            gv[p] += gs[p] * vp; sum_g[p] += gs[p]; sum_v[p] += vp;
        }
    }
    // y = v / d: dd = −Σ_c g·v / d²; d = max(σ, mean σ, ε) routes dd to σ or to the mean
    float d_mean = 0;
    for (size_t p = 0; p < hw; p++) {
        float up = 1 / d[p];
        u[p] = up;
        float ddp = -gv[p] * up * up, ds = 0;
        if (sigma[p] >= mean) { if (sigma[p] >= epsilon) ds = ddp; }
        else if (mean >= epsilon) d_mean += ddp;
        gv[p] = ds;   // gv now holds dσ (without the mean's share)
    }
    float share = d_mean / (float)hw;
    // σ = sqrt(blur(q)) → d(blur q) = dσ / 2σ
    for (size_t p = 0; p < hw; p++) {
        float t = gv[p] + share;
        gv[p] = sigma[p] > 0 ? t / (2 * sigma[p]) : 0;
    }
    blur_transposed(gv, b1, scratch, b2, h, w, size, kernel, inverse_norm);
    // dm = −Σ_c dv with dv_c = g_c·u + (2/C)·v_c·b₁
    float two_over_c = 2 * inv_c;
    for (size_t p = 0; p < hw; p++) gv[p] = -(u[p] * sum_g[p] + two_over_c * b1[p] * sum_v[p]);
    blur_transposed(gv, b2, scratch, sum_g, h, w, size, kernel, inverse_norm);
    for (size_t p = 0; p < hw; p++) { b2[p] *= inv_c; b1[p] *= two_over_c; }
    for (size_t ch = 0; ch < c; ch++) {
        const float *restrict gs = g + ch * hw, *restrict xs = x + ch * hw;
        float *restrict out = dx + ch * hw;
        for (size_t p = 0; p < hw; p++) out[p] = gs[p] * u[p] + (xs[p] - m[p]) * b1[p] + b2[p];
    }
}

// MARK: the three compilations and the choice

#define FORWARD_ARGS const float *x, float *y, float *m, float *sigma, float *d, float *mean_sigma, size_t c, \
    size_t h, size_t w, size_t size, const float *kernel, const float *inverse_norm, float epsilon, float *buffer
#define FORWARD_CALL forward_body(x, y, m, sigma, d, mean_sigma, c, h, w, size, kernel, inverse_norm, epsilon, buffer)
#define BACKWARD_ARGS const float *g, const float *x, const float *m, const float *sigma, const float *d, float mean, float *dx, \
    size_t c, size_t h, size_t w, size_t size, const float *kernel, const float *inverse_norm, float epsilon, float *buffer
#define BACKWARD_CALL backward_body(g, x, m, sigma, d, mean, dx, c, h, w, size, kernel, inverse_norm, epsilon, buffer)

static void forward_scalar(FORWARD_ARGS) { FORWARD_CALL; }
static void backward_scalar(BACKWARD_ARGS) { BACKWARD_CALL; }
#if defined(__x86_64__)
__attribute__((target("avx512f"))) static void forward_512(FORWARD_ARGS) { FORWARD_CALL; }
__attribute__((target("avx512f"))) static void backward_512(BACKWARD_ARGS) { BACKWARD_CALL; }
__attribute__((target("avx2"))) static void forward_256(FORWARD_ARGS) { FORWARD_CALL; }
__attribute__((target("avx2"))) static void backward_256(BACKWARD_ARGS) { BACKWARD_CALL; }
#endif

void facet_lcn_forward(FORWARD_ARGS) {
    switch (facet_isa()) {
#if defined(__x86_64__)
    case FACET_ISA_AVX512: forward_512(x, y, m, sigma, d, mean_sigma, c, h, w, size, kernel, inverse_norm, epsilon, buffer); return;
    case FACET_ISA_AVX2: forward_256(x, y, m, sigma, d, mean_sigma, c, h, w, size, kernel, inverse_norm, epsilon, buffer); return;
#endif
    default: forward_scalar(x, y, m, sigma, d, mean_sigma, c, h, w, size, kernel, inverse_norm, epsilon, buffer);
    }
}

void facet_lcn_backward(BACKWARD_ARGS) {
    switch (facet_isa()) {
#if defined(__x86_64__)
    case FACET_ISA_AVX512: backward_512(g, x, m, sigma, d, mean, dx, c, h, w, size, kernel, inverse_norm, epsilon, buffer); return;
    case FACET_ISA_AVX2: backward_256(g, x, m, sigma, d, mean, dx, c, h, w, size, kernel, inverse_norm, epsilon, buffer); return;
#endif
    default: backward_scalar(g, x, m, sigma, d, mean, dx, c, h, w, size, kernel, inverse_norm, epsilon, buffer);
    }
}
