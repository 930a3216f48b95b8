// im2col and col2im for one image (Conv2D.swift): see CKernels.h. With stride 1 every row of the
// patch matrix is oh runs of ow consecutive input floats; for the study's narrow convs a run is
// 10-44 floats, so the Swift loops spent their time on one memcpy call or loop start per run. Here
// a run is one or a few vector moves (AVX-512 with masked tails, or AVX2), chosen once per process.
// im2col copies and col2im adds each value in the same order as the Swift loops did, so the results
// are bit for bit the same on every path.
#include "CKernels.h"
#include "isa.h"
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// MARK: scalar (any stride; the reference order)

static inline __attribute__((always_inline)) void
im2col_body(const float *restrict src, float *restrict dst, size_t row_stride, size_t c, size_t h,
            size_t w, size_t kh, size_t kw, size_t stride, size_t pad, size_t oh, size_t ow) {
    long hl = (long)h, wl = (long)w, p = (long)pad, s = (long)stride, owl = (long)ow;
    size_t r = 0;
    for (size_t ch = 0; ch < c; ch++) {
        const float *plane = src + ch * h * w;
        for (long i = 0; i < (long)kh; i++) for (long j = 0; j < (long)kw; j++, r++) {
            float *row = dst + r * row_stride;
            for (long y = 0; y < (long)oh; y++) {
                long iy = y * s + i - p;
                float *restrict out = row + y * owl;
                if (iy < 0 || iy >= hl) { for (long x = 0; x < owl; x++) out[x] = 0; continue; }
                const float *restrict line = plane + iy * wl;
                if (s == 1) {
                    long lo = p - j > 0 ? (p - j < owl ? p - j : owl) : 0;
                    long hi = wl + p - j < owl ? wl + p - j : owl;
                    if (hi < lo) hi = lo;
                    for (long x = 0; x < lo; x++) out[x] = 0;
                    for (long x = lo; x < hi; x++) out[x] = line[x + j - p];
                    for (long x = hi; x < owl; x++) out[x] = 0;
                } else {
                    for (long x = 0; x < owl; x++) {
                        long ix = x * s + j - p;
                        out[x] = ix >= 0 && ix < wl ? line[ix] : 0;
                    }
                }
            }
        }
    }
}

static inline __attribute__((always_inline)) void
col2im_body(const float *restrict src, float *restrict dst, size_t row_stride, size_t c, size_t h,
            size_t w, size_t kh, size_t kw, size_t stride, size_t pad, size_t oh, size_t ow) {
    long hl = (long)h, wl = (long)w, p = (long)pad, s = (long)stride, owl = (long)ow;
    size_t r = 0;
    for (size_t ch = 0; ch < c; ch++) {
        float *plane = dst + ch * h * w;
        for (long i = 0; i < (long)kh; i++) for (long j = 0; j < (long)kw; j++, r++) {
            const float *row = src + r * row_stride;
            for (long y = 0; y < (long)oh; y++) {
                long iy = y * s + i - p;
                if (iy < 0 || iy >= hl) continue;
                float *restrict line = plane + iy * wl;
                const float *restrict g = row + y * owl;
                if (s == 1) {
                    long lo = p - j > 0 ? (p - j < owl ? p - j : owl) : 0;
                    long hi = wl + p - j < owl ? wl + p - j : owl;
                    float *restrict shifted = line + j - p;
                    for (long x = lo; x < hi; x++) shifted[x] += g[x];
                } else {
                    for (long x = 0; x < owl; x++) {
                        long ix = x * s + j - p;
                        if (ix >= 0 && ix < wl) line[ix] += g[x];
                    }
                }
            }
        }
    }
}

#if defined(__x86_64__)
// MARK: AVX-512, stride 1: a run of n floats as 16-float moves, the tail masked

__attribute__((target("avx512f"))) static inline void copy_run(float *out, const float *in, long n) {
    long x = 0;
    for (; x + 16 <= n; x += 16) _mm512_storeu_ps(out + x, _mm512_loadu_ps(in + x));
    if (x < n) {
        __mmask16 m = (__mmask16)((1u << (n - x)) - 1);
        _mm512_mask_storeu_ps(out + x, m, _mm512_maskz_loadu_ps(m, in + x));
    }
}

__attribute__((target("avx512f"))) static inline void zero_run(float *out, long n) {
    long x = 0;
    for (; x + 16 <= n; x += 16) _mm512_storeu_ps(out + x, _mm512_setzero_ps());
    if (x < n) _mm512_mask_storeu_ps(out + x, (__mmask16)((1u << (n - x)) - 1), _mm512_setzero_ps());
}

__attribute__((target("avx512f"))) static inline void add_run(float *out, const float *in, long n) {
    long x = 0;
    for (; x + 16 <= n; x += 16) _mm512_storeu_ps(out + x, _mm512_add_ps(_mm512_loadu_ps(out + x), _mm512_loadu_ps(in + x)));
    if (x < n) {
        __mmask16 m = (__mmask16)((1u << (n - x)) - 1);
        _mm512_mask_storeu_ps(out + x, m, _mm512_add_ps(_mm512_maskz_loadu_ps(m, out + x), _mm512_maskz_loadu_ps(m, in + x)));
    }
}

__attribute__((target("avx512f"))) static void
im2col_512(const float *src, float *dst, size_t row_stride, size_t c, size_t h, size_t w, size_t kh,
           size_t kw, size_t pad, size_t oh, size_t ow) {
    long hl = (long)h, wl = (long)w, p = (long)pad, owl = (long)ow;
    size_t r = 0;
    for (size_t ch = 0; ch < c; ch++) {
        const float *plane = src + ch * h * w;
        for (long i = 0; i < (long)kh; i++) for (long j = 0; j < (long)kw; j++, r++) {
            float *row = dst + r * row_stride;
            long lo = p - j > 0 ? (p - j < owl ? p - j : owl) : 0;
            long hi = wl + p - j < owl ? wl + p - j : owl;
            if (hi < lo) hi = lo;
            for (long y = 0; y < (long)oh; y++) {
                long iy = y + i - p;
                float *out = row + y * owl;
                if (iy < 0 || iy >= hl) { zero_run(out, owl); continue; }
                if (lo > 0) zero_run(out, lo);
                copy_run(out + lo, plane + iy * wl + lo + j - p, hi - lo);
                if (hi < owl) zero_run(out + hi, owl - hi);
            }
        }
    }
}

__attribute__((target("avx512f"))) static void
col2im_512(const float *src, float *dst, size_t row_stride, size_t c, size_t h, size_t w, size_t kh,
           size_t kw, size_t pad, size_t oh, size_t ow) {
    long hl = (long)h, wl = (long)w, p = (long)pad, owl = (long)ow;
    size_t r = 0;
    for (size_t ch = 0; ch < c; ch++) {
        float *plane = dst + ch * h * w;
        for (long i = 0; i < (long)kh; i++) for (long j = 0; j < (long)kw; j++, r++) {
            const float *row = src + r * row_stride;
            long lo = p - j > 0 ? (p - j < owl ? p - j : owl) : 0;
            long hi = wl + p - j < owl ? wl + p - j : owl;
            if (hi <= lo) continue;
            for (long y = 0; y < (long)oh; y++) {
                long iy = y + i - p;
                if (iy < 0 || iy >= hl) continue;
                add_run(plane + iy * wl + lo + j - p, row + y * owl + lo, hi - lo);
            }
        }
    }
}

// MARK: AVX2: the plain loops, vectorised by the compiler

__attribute__((target("avx2"))) static void
im2col_256(const float *src, float *dst, size_t row_stride, size_t c, size_t h, size_t w, size_t kh,
           size_t kw, size_t stride, size_t pad, size_t oh, size_t ow) {
    im2col_body(src, dst, row_stride, c, h, w, kh, kw, stride, pad, oh, ow);
}

__attribute__((target("avx2"))) static void
col2im_256(const float *src, float *dst, size_t row_stride, size_t c, size_t h, size_t w, size_t kh,
           size_t kw, size_t stride, size_t pad, size_t oh, size_t ow) {
    col2im_body(src, dst, row_stride, c, h, w, kh, kw, stride, pad, oh, ow);
}
#endif

// MARK: dispatch

void facet_im2col(const float *src, float *dst, size_t row_stride, size_t c, size_t h, size_t w,
                  size_t kh, size_t kw, size_t stride, size_t pad, size_t oh, size_t ow) {
#if defined(__x86_64__)
    if (facet_isa() == FACET_ISA_AVX512 && stride == 1) { im2col_512(src, dst, row_stride, c, h, w, kh, kw, pad, oh, ow); return; }
    if (facet_isa() >= FACET_ISA_AVX2) { im2col_256(src, dst, row_stride, c, h, w, kh, kw, stride, pad, oh, ow); return; }
#endif
    im2col_body(src, dst, row_stride, c, h, w, kh, kw, stride, pad, oh, ow);
}

void facet_col2im(const float *src, float *dst, size_t row_stride, size_t c, size_t h, size_t w,
                  size_t kh, size_t kw, size_t stride, size_t pad, size_t oh, size_t ow) {
#if defined(__x86_64__)
    if (facet_isa() == FACET_ISA_AVX512 && stride == 1) { col2im_512(src, dst, row_stride, c, h, w, kh, kw, pad, oh, ow); return; }
    if (facet_isa() >= FACET_ISA_AVX2) { col2im_256(src, dst, row_stride, c, h, w, kh, kw, stride, pad, oh, ow); return; }
#endif
    col2im_body(src, dst, row_stride, c, h, w, kh, kw, stride, pad, oh, ow);
}
