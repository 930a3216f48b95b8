// Runs every CKernels kernel on fixed inputs and writes all outputs to stdout (raw bytes), so
// Tests/kernels/run.sh can compare the AVX-512, AVX2 and scalar paths (FACET_KERNEL_ISA) bit for
// bit. The unit tests check each kernel against its reference only on the CPU's own path.
#include "CKernels.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state = 1;
static float unit(void) {   // SplitMix64, as FacetRandom
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (float)((z ^ (z >> 31)) >> 40) * (1.0f / 16777216.0f);
}
static float *randoms(size_t n, float scale) {
    float *p = malloc(sizeof(float) * n);
    for (size_t i = 0; i < n; i++) p[i] = (unit() * 2 - 1) * scale;
    return p;
}
static void out(const void *p, size_t bytes) { fwrite(p, 1, bytes, stdout); }

int main(void) {
    fprintf(stderr, "kernel path: %s\n", facet_kernel_isa());
    // dense stream: odd sizes (tails of rows and lanes), 1-8 samples
    size_t inputs = 1001, units = 37;
    float *w = randoms(units * inputs, 1), *b = randoms(units, 1), *x = randoms(8 * inputs, 1);
    float *y = malloc(sizeof(float) * 8 * units);
    for (size_t n = 1; n <= 8; n++) { facet_dense_gemv(w, b, x, y, inputs, units, 0, units, n); out(y, sizeof(float) * n * units); }
    // max-pooling: window 2-4, widths under and over 8, 16 and 32 outputs, ties, −∞ and NaN
    size_t shapes[][2] = {{44, 44}, {9, 13}, {7, 36}, {6, 70}, {5, 5}};
    for (size_t s = 0; s < 5; s++) for (size_t size = 2; size <= 4; size++) {
        size_t h = shapes[s][0], wd = shapes[s][1];
        size_t oh = (h - size + 1) / 2 + 1, ow = (wd - size + 1) / 2 + 1;   // ceil mode
        float *src = malloc(sizeof(float) * 3 * h * wd);
        for (size_t i = 0; i < 3 * h * wd; i++) src[i] = (float)(int)(unit() * 5);
        src[1] = -INFINITY; src[wd + 2] = NAN;
        float *dst = malloc(sizeof(float) * 3 * oh * ow);
        int32_t *am = malloc(sizeof(int32_t) * 3 * oh * ow);
        if (facet_maxpool_stride2(src, dst, am, 3, h, wd, oh, ow, size) != 0) return 1;
        out(dst, sizeof(float) * 3 * oh * ow); out(am, sizeof(int32_t) * 3 * oh * ow);
        free(src); free(dst); free(am);
    }
    // LCN forward and backward: the paper's 64 maps, a single map, a plane smaller than the window
    size_t lcn[][4] = {{64, 44, 44, 9}, {1, 48, 48, 9}, {3, 7, 5, 9}, {16, 22, 22, 5}};
    for (size_t s = 0; s < 4; s++) {
        size_t c = lcn[s][0], h = lcn[s][1], wd = lcn[s][2], size = lcn[s][3], hw = h * wd;
        float kernel[9], sg = (float)size / 4;
        for (size_t i = 0; i < size; i++) kernel[i] = expf(-(float)(((long)i - (long)size / 2) * ((long)i - (long)size / 2)) / (2 * sg * sg));
        float *z = randoms(hw, 1), *xs = randoms(c * hw, 3), *g = randoms(c * hw, 1);
        for (size_t p = 0; p < hw; p++) z[p] = 1 + fabsf(z[p]);
        float *ys = malloc(sizeof(float) * c * hw), *m = malloc(sizeof(float) * hw), *dx = malloc(sizeof(float) * c * hw);
        float *sigma = malloc(sizeof(float) * hw), *d = malloc(sizeof(float) * hw), *buffer = malloc(sizeof(float) * 7 * hw), mean;
        facet_lcn_forward(xs, ys, m, sigma, d, &mean, c, h, wd, size, kernel, z, 1e-4f, buffer);
        facet_lcn_backward(g, xs, m, sigma, d, mean, dx, c, h, wd, size, kernel, z, 1e-4f, buffer);
        out(ys, sizeof(float) * c * hw); out(sigma, sizeof(float) * hw); out(&mean, sizeof mean); out(dx, sizeof(float) * c * hw);
    }
    // im2col and col2im: stride 1 and 2, padding, runs under and over 16 floats
    size_t convs[][6] = {{16, 22, 22, 5, 1, 0}, {2, 9, 40, 3, 1, 1}, {3, 7, 5, 4, 1, 2}, {2, 12, 13, 3, 2, 1}, {64, 22, 22, 5, 1, 0}};
    for (size_t s = 0; s < 5; s++) {
        size_t c = convs[s][0], h = convs[s][1], wd = convs[s][2], k = convs[s][3], st = convs[s][4], pad = convs[s][5];
        size_t oh = (h + 2 * pad - k) / st + 1, ow = (wd + 2 * pad - k) / st + 1, rows = c * k * k, l = oh * ow;
        float *img = randoms(c * h * wd, 1), *col = malloc(sizeof(float) * rows * l), *g = randoms(rows * l, 1);
        float *dx = calloc(c * h * wd, sizeof(float));
        facet_im2col(img, col, l, c, h, wd, k, k, st, pad, oh, ow);
        facet_col2im(g, dx, l, c, h, wd, k, k, st, pad, oh, ow);
        out(col, sizeof(float) * rows * l); out(dx, sizeof(float) * c * h * wd);
        free(img); free(col); free(g); free(dx);
    }
    return 0;
}
