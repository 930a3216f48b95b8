// Max-pooling with stride 2 and its argmax (MaxPool2D.swift): see CKernels.h. Bound by memory
// at batch 100, but Swift compiles the engine for baseline x86-64 (SSE2, no blend), where the
// per-lane select of value and index cost several instructions each; here the same scan runs 16
// (AVX-512) or 8 (AVX2) outputs at a time, chosen once per process. Every path scans a window in
// the same order (rows, then columns) with the same strict, ordered `>` from −∞, so values and
// indices are exactly those of the one-by-one scan (`MaxPool2D.poolPlane`): the first maximum
// wins, NaN and −∞ never do.
#include "CKernels.h"
#include "isa.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define HAVE_X86 1
#endif

// MARK: scalar (any CPU; the reference order)

static void plane_scalar(const float *src, float *dst, int32_t *am, size_t h, size_t w, size_t oh,
                         size_t ow, size_t size) {
    for (size_t i = 0; i < oh; i++) {
        size_t y0 = 2 * i, y1 = y0 + size < h ? y0 + size : h;
        for (size_t j = 0; j < ow; j++) {
            size_t x0 = 2 * j, x1 = x0 + size < w ? x0 + size : w;
            float best = -INFINITY;
            int32_t index = (int32_t)(y0 * w + x0);
            for (size_t yy = y0; yy < y1; yy++)
                for (size_t xx = x0; xx < x1; xx++) {
                    float v = src[yy * w + xx];
                    if (v > best) { best = v; index = (int32_t)(yy * w + xx); }
                }
            dst[i * ow + j] = best;
            am[i * ow + j] = index;
        }
    }
}

#if HAVE_X86
// The stride-2 vector paths read window column x = 2j + dx of L consecutive outputs as L
// consecutive floats of a row split into its even and odd columns (even[t] = row[2t], odd[t] =
// row[2t + 1], −∞ past the edge, so a partial window's missing values never win).

/// Outputs a vector path computes at a time: two 16-float vectors with AVX-512, one of 8 with AVX2.
static size_t split_lanes(enum facet_isa isa) { return isa == FACET_ISA_AVX512 ? 32 : 8; }

/// Width of a split half-row: whole vectors of outputs plus the window's reach.
static size_t split_width(size_t ow, size_t size, size_t lanes) {
    return (ow + lanes - 1) / lanes * lanes + (size - 1) / 2;
}

/// Split entries t..<pw of one row, one pair at a time.
static void split_row_from(const float *row, float *even, float *odd, size_t w, size_t t, size_t pw) {
    for (; 2 * t + 1 < w && t < pw; t++) { even[t] = row[2 * t]; odd[t] = row[2 * t + 1]; }
    for (; t < pw; t++) {
        even[t] = 2 * t < w ? row[2 * t] : -INFINITY;
        odd[t] = 2 * t + 1 < w ? row[2 * t + 1] : -INFINITY;
    }
}

static void split_rows(const float *src, float *split, size_t h, size_t w, size_t pw) {
    for (size_t yy = 0; yy < h; yy++) {
        float *even = split + yy * 2 * pw;
        split_row_from(src + yy * w, even, even + pw, w, 0, pw);
    }
}

// MARK: AVX-512

/// `split_rows` 16 pairs at a time: 32 consecutive floats (−∞ past the row's end) into their
/// even and odd lanes.
__attribute__((target("avx512f"))) static void split_rows_512(const float *src, float *split, size_t h,
                                                              size_t w, size_t pw) {
    const __m512i evens = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    const __m512i odds = _mm512_add_epi32(evens, _mm512_set1_epi32(1));
    const __m512 none = _mm512_set1_ps(-INFINITY);
    for (size_t yy = 0; yy < h; yy++) {
        const float *row = src + yy * w;
        float *even = split + yy * 2 * pw, *odd = even + pw;
        size_t t = 0;
        for (; t + 16 <= pw; t += 16) {
            size_t x = 2 * t, left = x < w ? w - x : 0;
            __m512 lo, hi;
            if (left >= 32) {
                lo = _mm512_loadu_ps(row + x);
                hi = _mm512_loadu_ps(row + x + 16);
            } else {
                __mmask16 mlo = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
                __mmask16 mhi = left <= 16 ? 0 : (__mmask16)((1u << (left - 16)) - 1);
                lo = _mm512_mask_loadu_ps(none, mlo, row + x);
                hi = _mm512_mask_loadu_ps(none, mhi, row + x + 16);
            }
            _mm512_storeu_ps(even + t, _mm512_permutex2var_ps(lo, evens, hi));
            _mm512_storeu_ps(odd + t, _mm512_permutex2var_ps(lo, odds, hi));
        }
        split_row_from(row, even, odd, w, t, pw);
    }
}

__attribute__((target("avx512f"))) static void plane_512(const float *src, float *dst, int32_t *am,
        float *split, size_t pw, size_t h, size_t w, size_t oh, size_t ow, size_t size) {
    split_rows_512(src, split, h, w, pw);
    const __m512i lanes2 = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    // Two vectors of outputs at a time: two independent compare-and-select chains.
    for (size_t i = 0; i < oh; i++) {
        size_t y0 = 2 * i, y1 = y0 + size < h ? y0 + size : h;
        for (size_t j0 = 0; j0 < ow; j0 += 32) {
            __m512i column0 = _mm512_add_epi32(_mm512_set1_epi32((int32_t)(2 * j0)), lanes2);
            __m512i column1 = _mm512_add_epi32(column0, _mm512_set1_epi32(32));
            __m512 best0 = _mm512_set1_ps(-INFINITY), best1 = best0;
            __m512i first = _mm512_set1_epi32((int32_t)(y0 * w));
            __m512i index0 = _mm512_add_epi32(first, column0), index1 = _mm512_add_epi32(first, column1);
            for (size_t yy = y0; yy < y1; yy++) {
                const float *even = split + yy * 2 * pw, *odd = even + pw;
                for (size_t dx = 0; dx < size; dx++) {
                    const float *at = (dx & 1 ? odd : even) + j0 + dx / 2;
                    __m512i offset = _mm512_set1_epi32((int32_t)(yy * w + dx));
                    __m512 v0 = _mm512_loadu_ps(at), v1 = _mm512_loadu_ps(at + 16);
                    __mmask16 better0 = _mm512_cmp_ps_mask(v0, best0, _CMP_GT_OQ);
                    __mmask16 better1 = _mm512_cmp_ps_mask(v1, best1, _CMP_GT_OQ);
                    best0 = _mm512_mask_mov_ps(best0, better0, v0);
                    best1 = _mm512_mask_mov_ps(best1, better1, v1);
                    index0 = _mm512_mask_mov_epi32(index0, better0, _mm512_add_epi32(offset, column0));
                    index1 = _mm512_mask_mov_epi32(index1, better1, _mm512_add_epi32(offset, column1));
                }
            }
            size_t left = ow - j0;
            __mmask16 keep0 = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
            __mmask16 keep1 = left >= 32 ? (__mmask16)0xFFFF : left <= 16 ? 0 : (__mmask16)((1u << (left - 16)) - 1);
            _mm512_mask_storeu_ps(dst + i * ow + j0, keep0, best0);
            _mm512_mask_storeu_epi32(am + i * ow + j0, keep0, index0);
            _mm512_mask_storeu_ps(dst + i * ow + j0 + 16, keep1, best1);
            _mm512_mask_storeu_epi32(am + i * ow + j0 + 16, keep1, index1);
        }
    }
}

// MARK: AVX2

__attribute__((target("avx2"))) static void plane_256(const float *src, float *dst, int32_t *am,
        float *split, size_t pw, size_t h, size_t w, size_t oh, size_t ow, size_t size) {
    split_rows(src, split, h, w, pw);
    const __m256i lanes2 = _mm256_set_epi32(14, 12, 10, 8, 6, 4, 2, 0);
    for (size_t i = 0; i < oh; i++) {
        size_t y0 = 2 * i, y1 = y0 + size < h ? y0 + size : h;
        for (size_t j0 = 0; j0 < ow; j0 += 8) {
            __m256i column = _mm256_add_epi32(_mm256_set1_epi32((int32_t)(2 * j0)), lanes2);
            __m256 best = _mm256_set1_ps(-INFINITY);
            __m256i index = _mm256_add_epi32(_mm256_set1_epi32((int32_t)(y0 * w)), column);
            for (size_t yy = y0; yy < y1; yy++) {
                const float *even = split + yy * 2 * pw, *odd = even + pw;
                for (size_t dx = 0; dx < size; dx++) {
                    __m256 v = _mm256_loadu_ps((dx & 1 ? odd : even) + j0 + dx / 2);
                    __m256 better = _mm256_cmp_ps(v, best, _CMP_GT_OQ);
                    best = _mm256_blendv_ps(best, v, better);
                    __m256i candidate = _mm256_add_epi32(_mm256_set1_epi32((int32_t)(yy * w + dx)), column);
                    index = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(index),
                                                                 _mm256_castsi256_ps(candidate), better));
                }
            }
            size_t left = ow - j0;
            if (left >= 8) {
                _mm256_storeu_ps(dst + i * ow + j0, best);
                _mm256_storeu_si256((__m256i *)(am + i * ow + j0), index);
            } else {
                float b[8]; int32_t x[8];
                _mm256_storeu_ps(b, best);
                _mm256_storeu_si256((__m256i *)x, index);
                for (size_t l = 0; l < left; l++) { dst[i * ow + j0 + l] = b[l]; am[i * ow + j0 + l] = x[l]; }
            }
        }
    }
}
#endif

// MARK: dispatch

int facet_maxpool_stride2(const float *src, float *dst, int32_t *am, size_t planes, size_t h,
                          size_t w, size_t oh, size_t ow, size_t size) {
    enum facet_isa isa = facet_isa();
    float *split = NULL;
    size_t pw = 0;
#if HAVE_X86
    if (isa != FACET_ISA_SCALAR) {
        pw = split_width(ow, size, split_lanes(isa));
        split = malloc(sizeof(float) * h * 2 * pw);
        if (!split) return -1;
    }
#endif
    for (size_t p = 0; p < planes; p++) {
        const float *s = src + p * h * w;
        float *d = dst + p * oh * ow;
        int32_t *a = am + p * oh * ow;
        switch (isa) {
#if HAVE_X86
        case FACET_ISA_AVX512: plane_512(s, d, a, split, pw, h, w, oh, ow, size); break;
        case FACET_ISA_AVX2: plane_256(s, d, a, split, pw, h, w, oh, ow, size); break;
#endif
        default: plane_scalar(s, d, a, h, w, oh, ow, size); break;
        }
    }
    free(split);
    return 0;
}
