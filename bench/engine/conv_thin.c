// The first conv of the paper's net (1 → 64 maps, 5×5, 48×48 → 44×44; K = 25) forward over one
// worker's 50 images, one thread, three ways: as the engine did before (bias written into y, then
// y += W·col, beta = 1), as it does now (one GEMM [W | b]·[col; 1], K + 1, beta = 0), and oneDNN's
// convolution primitive. Each GEMM way on oneDNN's and OpenBLAS's sgemm. Prints the best of 15
// (ms, GFLOP/s) and whether the outputs equal the old way's bit for bit.
//   bench/engine/conv_thin.sh builds and runs it.
#include <oneapi/dnnl/dnnl.h>
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void omp_set_num_threads(int);

enum { N = 50, H = 48, W = 48, M = 64, KH = 5, OH = 44, OW = 44, L = OH * OW, K = KH * KH };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static float x[N * H * W], w[M * K], wb[M * (K + 1)], b[M], col[(K + 1) * L];
static float y_old[N * M * L], y_new[N * M * L], y_dnnl[N * M * L];

static void im2col(const float *s) {
    for (int i = 0; i < KH; i++)
        for (int j = 0; j < KH; j++)
            for (int oh = 0; oh < OH; oh++) memcpy(&col[(i * KH + j) * L + oh * OW], s + (oh + i) * W + j, OW * sizeof(float));
}

static void gemm(int onednn, int k, const float *a, float beta, float *c) {
    if (onednn) dnnl_sgemm('N', 'N', M, L, k, 1.f, a, k, col, L, beta, c, L);
    else cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, L, k, 1.f, a, k, col, L, beta, c, L);
}

static void bias_then_add(int onednn) {
    for (int n = 0; n < N; n++) {
        im2col(&x[n * H * W]);
        float *out = &y_old[n * M * L];
        for (int m = 0; m < M; m++) for (int l = 0; l < L; l++) out[m * L + l] = b[m];
        gemm(onednn, K, w, 1.f, out);
    }
}

static void bias_column(int onednn) {
    for (int m = 0; m < M; m++) { memcpy(&wb[m * (K + 1)], &w[m * K], K * sizeof(float)); wb[m * (K + 1) + K] = b[m]; }
    for (int l = 0; l < L; l++) col[K * L + l] = 1.f;
    for (int n = 0; n < N; n++) { im2col(&x[n * H * W]); gemm(onednn, K + 1, wb, 0.f, &y_new[n * M * L]); }
}

static dnnl_primitive_t conv;
static dnnl_stream_t stream;
static dnnl_memory_t msrc, mw, mb, mdst;

static void check(dnnl_status_t s, const char *what) {
    if (s != dnnl_success) { fprintf(stderr, "oneDNN: %s failed (%d)\n", what, (int)s); exit(1); }
}

static void setup_onednn(void) {
    dnnl_engine_t engine;
    check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine");
    check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags), "stream");
    dnnl_memory_desc_t src, wt, bi, dst;
    dnnl_dims_t ds = {N, 1, H, W}, dw = {M, 1, KH, KH}, db = {M}, dd = {N, M, OH, OW};
    check(dnnl_memory_desc_init_by_tag(&src, 4, ds, dnnl_f32, dnnl_nchw), "src");
    check(dnnl_memory_desc_init_by_tag(&wt, 4, dw, dnnl_f32, dnnl_oihw), "weights");
    check(dnnl_memory_desc_init_by_tag(&bi, 1, db, dnnl_f32, dnnl_x), "bias");
    check(dnnl_memory_desc_init_by_tag(&dst, 4, dd, dnnl_f32, dnnl_nchw), "dst");
    dnnl_convolution_desc_t cd;
    dnnl_dims_t strides = {1, 1}, pad = {0, 0};
    check(dnnl_convolution_forward_desc_init(&cd, dnnl_forward_training, dnnl_convolution_direct, &src, &wt, &bi, &dst,
                                             strides, pad, pad), "conv desc");
    dnnl_primitive_desc_t pd;
    check(dnnl_primitive_desc_create(&pd, &cd, NULL, engine, NULL), "conv primitive desc");
    const char *impl;
    dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl);
    printf("oneDNN convolution implementation: %s\n", impl);
    check(dnnl_primitive_create(&conv, pd), "conv primitive");
    check(dnnl_memory_create(&msrc, &src, engine, x), "src memory");
    check(dnnl_memory_create(&mw, &wt, engine, w), "weights memory");
    check(dnnl_memory_create(&mb, &bi, engine, b), "bias memory");
    check(dnnl_memory_create(&mdst, &dst, engine, y_dnnl), "dst memory");
}

static void onednn_conv(int unused) {
    (void)unused;
    dnnl_exec_arg_t args[] = {{DNNL_ARG_SRC, msrc}, {DNNL_ARG_WEIGHTS, mw}, {DNNL_ARG_BIAS, mb}, {DNNL_ARG_DST, mdst}};
    check(dnnl_primitive_execute(conv, stream, 4, args), "conv");
    dnnl_stream_wait(stream);
}

static double best(void (*f)(int), int arg) {
    double t = 1e9;
    for (int r = 0; r < 15; r++) {
        double t0 = now();
        f(arg);
        double d = now() - t0;
        if (d < t) t = d;
    }
    return t;
}

static const char *same(const float *a, const float *c) {
    return memcmp(a, c, sizeof(y_old)) == 0 ? "bit for bit equal" : "differs in the last bits";
}

int main(void) {
    openblas_set_num_threads(1);
    omp_set_num_threads(1);
    srand(1);
    for (int i = 0; i < N * H * W; i++) x[i] = rand() / (float)RAND_MAX - 0.5f;
    for (int i = 0; i < M * K; i++) w[i] = rand() / (float)RAND_MAX - 0.5f;
    for (int i = 0; i < M; i++) b[i] = rand() / (float)RAND_MAX - 0.5f;
    setup_onednn();
    double flops = 2.0 * N * M * L * K;
    for (int lib = 1; lib >= 0; lib--) {
        const char *name = lib ? "oneDNN sgemm" : "OpenBLAS sgemm";
        double told = best(bias_then_add, lib), tnew = best(bias_column, lib);
        printf("%-15s bias, then += W·col: %6.2f ms %6.1f GFLOP/s | [W|b]·[col;1]: %6.2f ms %6.1f GFLOP/s | %.2fx, %s\n",
               name, told * 1e3, flops / told / 1e9, tnew * 1e3, flops / tnew / 1e9, told / tnew, same(y_old, y_new));
    }
    bias_then_add(1);
    double tc = best(onednn_conv, 0);
    printf("oneDNN convolution primitive:        %6.2f ms %6.1f GFLOP/s (%s with the oneDNN sgemm way)\n", tc * 1e3,
           flops / tc / 1e9, same(y_old, y_dnnl));
    return 0;
}
