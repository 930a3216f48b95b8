// Streaming dense forward for batch 1-8: see CKernels.h. Memory-bound: every weight is read once
// per call, straight from the layer's row-major array, R rows at a time (R streams the hardware
// prefetcher follows) against up to 8 samples held in cache. Three paths with one summation order
// (16 lanes of fused multiply-adds, lanes summed in order, tail, bias), chosen once per process.
#include "CKernels.h"
#include "isa.h"
#include <math.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define HAVE_X86 1
#endif

#define LANES 16

// MARK: scalar (any x86-64; also the reference order the vector paths reproduce)

static void rows_scalar(const float *w, const float *b, const float *x, float *y,
                        size_t inputs, size_t units, size_t u0, size_t u1, size_t n) {
    size_t body = inputs / LANES * LANES;
    for (size_t u = u0; u < u1; u++) {
        const float *wr = w + u * inputs;
        for (size_t s = 0; s < n; s++) {
            const float *xs = x + s * inputs;
            float acc[LANES] = {0};
            for (size_t i = 0; i < body; i += LANES)
                for (int l = 0; l < LANES; l++) acc[l] = fmaf(wr[i + l], xs[i + l], acc[l]);
            float sum = acc[0];
            for (int l = 1; l < LANES; l++) sum += acc[l];
            for (size_t i = body; i < inputs; i++) sum = fmaf(wr[i], xs[i], sum);
            y[s * units + u] = sum + b[u];
        }
    }
}

#if HAVE_X86
// MARK: AVX-512

__attribute__((target("avx512f"))) static inline float lanes_sum_512(__m512 v) {
    float t[LANES];
    _mm512_storeu_ps(t, v);
    float sum = t[0];
    for (int l = 1; l < LANES; l++) sum += t[l];
    return sum;
}

// R rows against N samples; R and N are constants after inlining, so acc stays in registers.
__attribute__((target("avx512f"), always_inline)) static inline void
block_512(const float *w, const float *b, const float *x, float *y, size_t inputs, size_t units,
          size_t u, const int R, const int N) {
    __m512 acc[4][8];
    for (int r = 0; r < R; r++) for (int s = 0; s < N; s++) acc[r][s] = _mm512_setzero_ps();
    size_t body = inputs / LANES * LANES;
    const float *wr = w + u * inputs;
    for (size_t i = 0; i < body; i += LANES) {
        __m512 wv[4];
        for (int r = 0; r < R; r++) wv[r] = _mm512_loadu_ps(wr + r * inputs + i);
        for (int s = 0; s < N; s++) {
            __m512 xv = _mm512_loadu_ps(x + s * inputs + i);
            for (int r = 0; r < R; r++) acc[r][s] = _mm512_fmadd_ps(wv[r], xv, acc[r][s]);
        }
    }
    for (int r = 0; r < R; r++) {
        for (int s = 0; s < N; s++) {
            const float *xs = x + s * inputs, *wrr = wr + r * inputs;
            float sum = lanes_sum_512(acc[r][s]);
            for (size_t i = body; i < inputs; i++) sum = fmaf(wrr[i], xs[i], sum);
            y[s * units + u + r] = sum + b[u + r];
        }
    }
}

#define ROWS_512(NAME, N, R)                                                                          \
    __attribute__((target("avx512f"))) static void NAME(const float *w, const float *b, const float *x, \
        float *y, size_t inputs, size_t units, size_t u0, size_t u1) {                               \
        size_t u = u0;                                                                                \
        for (; u + R <= u1; u += R) block_512(w, b, x, y, inputs, units, u, R, N);                    \
        for (; u < u1; u++) block_512(w, b, x, y, inputs, units, u, 1, N);                            \
    }
ROWS_512(rows_512_1, 1, 4)
ROWS_512(rows_512_2, 2, 4)
ROWS_512(rows_512_3, 3, 4)
ROWS_512(rows_512_4, 4, 4)
ROWS_512(rows_512_5, 5, 2)
ROWS_512(rows_512_6, 6, 2)
ROWS_512(rows_512_7, 7, 2)
ROWS_512(rows_512_8, 8, 2)

// MARK: AVX2 + FMA (the 16 lanes as two registers, so the order is the same)

__attribute__((target("avx2,fma"))) static inline float lanes_sum_256(__m256 lo, __m256 hi) {
    float t[LANES];
    _mm256_storeu_ps(t, lo);
    _mm256_storeu_ps(t + 8, hi);
    float sum = t[0];
    for (int l = 1; l < LANES; l++) sum += t[l];
    return sum;
}

__attribute__((target("avx2,fma"), always_inline)) static inline void
block_256(const float *w, const float *b, const float *x, float *y, size_t inputs, size_t units,
          size_t u, const int R, const int N) {
    __m256 lo[2][2], hi[2][2];
    for (int r = 0; r < R; r++) for (int s = 0; s < N; s++) lo[r][s] = hi[r][s] = _mm256_setzero_ps();
    size_t body = inputs / LANES * LANES;
    const float *wr = w + u * inputs;
    for (size_t i = 0; i < body; i += LANES) {
        __m256 wl[2], wh[2];
        for (int r = 0; r < R; r++) {
            wl[r] = _mm256_loadu_ps(wr + r * inputs + i);
            wh[r] = _mm256_loadu_ps(wr + r * inputs + i + 8);
        }
        for (int s = 0; s < N; s++) {
            __m256 xl = _mm256_loadu_ps(x + s * inputs + i), xh = _mm256_loadu_ps(x + s * inputs + i + 8);
            for (int r = 0; r < R; r++) {
                lo[r][s] = _mm256_fmadd_ps(wl[r], xl, lo[r][s]);
                hi[r][s] = _mm256_fmadd_ps(wh[r], xh, hi[r][s]);
            }
        }
    }
    for (int r = 0; r < R; r++) {
        for (int s = 0; s < N; s++) {
            const float *xs = x + s * inputs, *wrr = wr + r * inputs;
            float sum = lanes_sum_256(lo[r][s], hi[r][s]);
            for (size_t i = body; i < inputs; i++) sum = fmaf(wrr[i], xs[i], sum);
            y[s * units + u + r] = sum + b[u + r];
        }
    }
}

// Samples in chunks of at most 2: 2 rows × 2 samples × 2 halves = 8 accumulators, plus 4 weight
// and 2 sample registers, within AVX2's 16.
__attribute__((target("avx2,fma"))) static void rows_256(const float *w, const float *b, const float *x,
        float *y, size_t inputs, size_t units, size_t u0, size_t u1, size_t n) {
    for (size_t s0 = 0; s0 < n; s0 += 2) {
        size_t m = n - s0 < 2 ? n - s0 : 2;
        const float *xs = x + s0 * inputs;
        float *ys = y + s0 * units;
        size_t u = u0;
        switch (m) {
#define CASE_256(N)                                                                           \
        case N:                                                                               \
            for (; u + 2 <= u1; u += 2) block_256(w, b, xs, ys, inputs, units, u, 2, N);      \
            for (; u < u1; u++) block_256(w, b, xs, ys, inputs, units, u, 1, N);              \
            break;
        CASE_256(1) CASE_256(2)
#undef CASE_256
        }
    }
}

#endif

// MARK: dispatch

void facet_dense_gemv(const float *w, const float *b, const float *x, float *y,
                      size_t inputs, size_t units, size_t u0, size_t u1, size_t n) {
    switch (facet_isa()) {
#if HAVE_X86
    case FACET_ISA_AVX512:
        switch (n) {
        case 1: rows_512_1(w, b, x, y, inputs, units, u0, u1); return;
        case 2: rows_512_2(w, b, x, y, inputs, units, u0, u1); return;
        case 3: rows_512_3(w, b, x, y, inputs, units, u0, u1); return;
        case 4: rows_512_4(w, b, x, y, inputs, units, u0, u1); return;
        case 5: rows_512_5(w, b, x, y, inputs, units, u0, u1); return;
        case 6: rows_512_6(w, b, x, y, inputs, units, u0, u1); return;
        case 7: rows_512_7(w, b, x, y, inputs, units, u0, u1); return;
        case 8: rows_512_8(w, b, x, y, inputs, units, u0, u1); return;
        default: break;
        }
        break;
    case FACET_ISA_AVX2:
        rows_256(w, b, x, y, inputs, units, u0, u1, n);
        return;
#endif
    default:
        break;
    }
    rows_scalar(w, b, x, y, inputs, units, u0, u1, n);
}
