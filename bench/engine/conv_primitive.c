// oneDNN's convolution primitive (forward, backward data, backward weights) at one conv's shape,
// batch 100, on 2 OpenMP threads: once with the layouts oneDNN picks (`any`: blocked, nChw16c on
// AVX-512) and once forced to the engine's NCHW. Prints each pass's best of 5 in ms, to set beside
// the engine's conv (`facet bench --layers`): the measurement behind docs/engine.md's sixth round.
// Data layout reorders at the conv's edges are not included.
//   bench/engine/conv_primitive.sh builds it and runs the study's conv shapes.
#include <oneapi/dnnl/dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CHECK(x) do { dnnl_status_t s_ = (x); if (s_ != dnnl_success) { \
    fprintf(stderr, "%s failed with status %d\n", #x, (int)s_); exit(1); } } while (0)

void omp_set_num_threads(int);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/// Memory for `md`, filled with small non-zero values.
static dnnl_memory_t filled(dnnl_engine_t engine, const dnnl_memory_desc_t *md) {
    dnnl_memory_t m;
    CHECK(dnnl_memory_create(&m, md, engine, DNNL_MEMORY_ALLOCATE));
    void *p;
    CHECK(dnnl_memory_get_data_handle(m, &p));
    size_t n = dnnl_memory_desc_get_size(md) / sizeof(float);
    for (size_t i = 0; i < n; i++) ((float *)p)[i] = (float)(i % 13) * 0.01f - 0.06f;
    return m;
}

/// Best of 5 timed runs after one warm-up, in ms.
static double best_ms(dnnl_stream_t stream, dnnl_primitive_desc_t pd, int nargs, const dnnl_exec_arg_t *args) {
    dnnl_primitive_t p;
    CHECK(dnnl_primitive_create(&p, pd));
    double best = 1e30;
    for (int r = 0; r < 6; r++) {
        double t = now();
        CHECK(dnnl_primitive_execute(p, stream, nargs, args));
        CHECK(dnnl_stream_wait(stream));
        t = now() - t;
        if (r > 0 && t < best) best = t;
    }
    dnnl_primitive_destroy(p);
    return best * 1e3;
}

static const char *impl(dnnl_primitive_desc_t pd) {
    const char *s = "?";
    dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &s);
    return s;
}

static void measure(dnnl_engine_t engine, dnnl_stream_t stream, int n, int c, int h, int m, int k,
                    dnnl_format_tag_t tag, const char *layout) {
    int oh = h - k + 1;
    dnnl_dims_t src_dims = {n, c, h, h}, wei_dims = {m, c, k, k}, bias_dims = {m}, dst_dims = {n, m, oh, oh};
    dnnl_dims_t strides = {1, 1}, pad = {0, 0};
    dnnl_memory_desc_t src, wei, bias, dst;
    CHECK(dnnl_memory_desc_init_by_tag(&src, 4, src_dims, dnnl_f32, tag));
    CHECK(dnnl_memory_desc_init_by_tag(&wei, 4, wei_dims, dnnl_f32, tag));
    CHECK(dnnl_memory_desc_init_by_tag(&bias, 1, bias_dims, dnnl_f32, dnnl_x));
    CHECK(dnnl_memory_desc_init_by_tag(&dst, 4, dst_dims, dnnl_f32, tag));

    dnnl_convolution_desc_t fd, dd, wd;
    CHECK(dnnl_convolution_forward_desc_init(&fd, dnnl_forward_training, dnnl_convolution_direct, &src, &wei, &bias,
                                             &dst, strides, pad, pad));
    dnnl_primitive_desc_t fpd;
    CHECK(dnnl_primitive_desc_create(&fpd, &fd, NULL, engine, NULL));
    CHECK(dnnl_convolution_backward_data_desc_init(&dd, dnnl_convolution_direct, &src, &wei, &dst, strides, pad, pad));
    dnnl_primitive_desc_t dpd;
    CHECK(dnnl_primitive_desc_create(&dpd, &dd, NULL, engine, fpd));
    CHECK(dnnl_convolution_backward_weights_desc_init(&wd, dnnl_convolution_direct, &src, &wei, &bias, &dst, strides, pad, pad));
    dnnl_primitive_desc_t wpd;
    CHECK(dnnl_primitive_desc_create(&wpd, &wd, NULL, engine, fpd));

    // Each pass's tensors in the layouts that pass chose.
    dnnl_memory_t x = filled(engine, dnnl_primitive_desc_query_md(fpd, dnnl_query_src_md, 0));
    dnnl_memory_t w = filled(engine, dnnl_primitive_desc_query_md(fpd, dnnl_query_weights_md, 0));
    dnnl_memory_t b = filled(engine, &bias);
    dnnl_memory_t y = filled(engine, dnnl_primitive_desc_query_md(fpd, dnnl_query_dst_md, 0));
    dnnl_exec_arg_t fwd[] = {{DNNL_ARG_SRC, x}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_BIAS, b}, {DNNL_ARG_DST, y}};
    double t_fwd = best_ms(stream, fpd, 4, fwd);

    dnnl_memory_t dy = filled(engine, dnnl_primitive_desc_query_md(dpd, dnnl_query_diff_dst_md, 0));
    dnnl_memory_t wd_ = filled(engine, dnnl_primitive_desc_query_md(dpd, dnnl_query_weights_md, 0));
    dnnl_memory_t dx = filled(engine, dnnl_primitive_desc_query_md(dpd, dnnl_query_diff_src_md, 0));
    dnnl_exec_arg_t bwd_data[] = {{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_WEIGHTS, wd_}, {DNNL_ARG_DIFF_SRC, dx}};
    double t_dx = best_ms(stream, dpd, 3, bwd_data);

    dnnl_memory_t xw = filled(engine, dnnl_primitive_desc_query_md(wpd, dnnl_query_src_md, 0));
    dnnl_memory_t dyw = filled(engine, dnnl_primitive_desc_query_md(wpd, dnnl_query_diff_dst_md, 0));
    dnnl_memory_t dw = filled(engine, dnnl_primitive_desc_query_md(wpd, dnnl_query_diff_weights_md, 0));
    dnnl_memory_t db = filled(engine, &bias);
    dnnl_exec_arg_t bwd_weights[] = {{DNNL_ARG_SRC, xw}, {DNNL_ARG_DIFF_DST, dyw}, {DNNL_ARG_DIFF_WEIGHTS, dw},
                                     {DNNL_ARG_DIFF_BIAS, db}};
    double t_dw = best_ms(stream, wpd, 4, bwd_weights);

    double gflop = 2.0 * n * m * oh * oh * c * k * k / 1e9;
    printf("conv %3d -> %3d %dx%d on %2dx%-2d  %-5s %-18s fwd %7.2f ms (%3.0f GFLOP/s)  dx %7.2f  dW %7.2f  all %7.2f ms\n",
           c, m, k, k, h, h, layout, impl(fpd), t_fwd, gflop / t_fwd * 1e3, t_dx, t_dw, t_fwd + t_dx + t_dw);
    dnnl_memory_t all[] = {x, w, b, y, dy, wd_, dx, xw, dyw, dw, db};
    for (int i = 0; i < 11; i++) dnnl_memory_destroy(all[i]);
    dnnl_primitive_desc_destroy(fpd); dnnl_primitive_desc_destroy(dpd); dnnl_primitive_desc_destroy(wpd);
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: conv_primitive C H M K (input C×H×H, M maps of K×K)\n"); return 2; }
    int c = atoi(argv[1]), h = atoi(argv[2]), m = atoi(argv[3]), k = atoi(argv[4]);
    omp_set_num_threads(2);
    dnnl_engine_t engine;
    CHECK(dnnl_engine_create(&engine, dnnl_cpu, 0));
    dnnl_stream_t stream;
    CHECK(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags));
    measure(engine, stream, 100, c, h, m, k, dnnl_format_tag_any, "any");
    measure(engine, stream, 100, c, h, m, k, dnnl_nchw, "nchw");
    return 0;
}
