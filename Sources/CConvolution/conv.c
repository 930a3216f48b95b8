// oneDNN's convolution primitive behind facet_conv.h. The engine's tensors are NCHW and its
// weights OIHW; oneDNN's jit kernels want blocked layouts (nChw16c, OIhw16i16o on AVX-512), 1.4-4x
// faster there than on NCHW, where oneDNN falls back to its GEMM convolution
// (bench/engine/conv_primitive.sh). So each pass reorders at its edges: x in, y out, dy in, dx out,
// the weights in and their gradient out. A reorder between equal layouts is skipped.
//
// Every primitive and reorder runs on the calling thread's OpenMP team of `threads` (set before
// each call: the engine's workers are not OpenMP threads), with a user scratchpad owned by the
// handle, so executing allocates nothing and repeats bit for bit for a thread count.
#include "facet_conv.h"
#include <oneapi/dnnl/dnnl.h>
#include <stdlib.h>
#include <string.h>

void omp_set_num_threads(int);

/// One tensor as the engine holds it (`plain`) and as a primitive wants it (`want`), with the
/// reorder between them (NULL when the layouts are equal).
typedef struct {
    dnnl_memory_desc_t plain, want;
    dnnl_primitive_t reorder;
    dnnl_memory_t plain_mem, want_mem;
} edge;

struct facet_conv {
    int threads;
    dnnl_stream_t stream;
    dnnl_primitive_desc_t fpd, dpd, wpd;
    dnnl_primitive_t fwd, bwd_data, bwd_weights;
    // forward: x in, w in, y out; backward weights: x in, dy in, dw out; backward data: w in, dx out.
    edge x, w_fwd, y, dy, dw, w_bwd, dx;
    dnnl_memory_t bias, dbias;
    float *w_fwd_buf, *w_bwd_buf, *dw_buf;
    void *scratchpad;
    dnnl_memory_t scratch_mem;
    // Floats of scratch for each tensor in the primitive's layout (0 where no reorder is needed).
    size_t x_floats, y_floats, dy_floats, dx_floats;
};

static dnnl_engine_t shared_engine(void) {
    // One CPU engine for the process (it holds no per-call state); created on first use.
    static dnnl_engine_t engine;
    static int made;
    if (!__atomic_load_n(&made, __ATOMIC_ACQUIRE)) {
        static int lock;
        while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE)) {}
        if (!made) {
            if (dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success) engine = NULL;
            __atomic_store_n(&made, 1, __ATOMIC_RELEASE);
        }
        __atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
    }
    return engine;
}

static size_t floats(const dnnl_memory_desc_t *md) { return dnnl_memory_desc_get_size(md) / sizeof(float); }

static const dnnl_memory_desc_t *query(dnnl_primitive_desc_t pd, dnnl_query_t what) {
    return dnnl_primitive_desc_query_md(pd, what, 0);
}

static size_t max_size(size_t a, size_t b) { return a > b ? a : b; }

/// A user-scratchpad attribute, so no pass allocates while it runs.
static dnnl_primitive_attr_t scratch_attr(void) {
    dnnl_primitive_attr_t attr = NULL;
    if (dnnl_primitive_attr_create(&attr) != dnnl_success) return NULL;
    dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user);
    return attr;
}

/// The edge between `plain` and `want`, reordering `from_plain` (plain → want) or back. Grows
/// `*scratch` to the reorder's scratchpad.
static int make_edge(edge *e, const dnnl_memory_desc_t *plain, const dnnl_memory_desc_t *want, int from_plain,
                     size_t *scratch) {
    dnnl_engine_t engine = shared_engine();
    e->plain = *plain; e->want = *want; e->reorder = NULL;
    if (dnnl_memory_create(&e->plain_mem, plain, engine, DNNL_MEMORY_NONE) != dnnl_success) return 1;
    if (dnnl_memory_create(&e->want_mem, want, engine, DNNL_MEMORY_NONE) != dnnl_success) return 1;
    if (dnnl_memory_desc_equal(plain, want)) return 0;
    dnnl_primitive_attr_t attr = scratch_attr();
    dnnl_primitive_desc_t rpd;
    dnnl_status_t s = from_plain ? dnnl_reorder_primitive_desc_create(&rpd, plain, engine, want, engine, attr)
                                 : dnnl_reorder_primitive_desc_create(&rpd, want, engine, plain, engine, attr);
    dnnl_primitive_attr_destroy(attr);
    if (s != dnnl_success) return 1;
    *scratch = max_size(*scratch, dnnl_memory_desc_get_size(query(rpd, dnnl_query_scratchpad_md)));
    s = dnnl_primitive_create(&e->reorder, rpd);
    dnnl_primitive_desc_destroy(rpd);
    return s != dnnl_success;
}

static void free_edge(edge *e) {
    if (e->reorder) dnnl_primitive_destroy(e->reorder);
    if (e->plain_mem) dnnl_memory_destroy(e->plain_mem);
    if (e->want_mem) dnnl_memory_destroy(e->want_mem);
}

/// Moves `src` to `dst` across the edge (plain → want when `from_plain`), or copies when the
/// layouts are equal and the pointers differ.
static int cross(facet_conv *c, edge *e, int from_plain, const void *src, void *dst) {
    if (!e->reorder) {
        if (src != dst) memcpy(dst, src, dnnl_memory_desc_get_size(&e->plain));
        return 0;
    }
    dnnl_memory_t in = from_plain ? e->plain_mem : e->want_mem, out = from_plain ? e->want_mem : e->plain_mem;
    dnnl_memory_set_data_handle(in, (void *)src);
    dnnl_memory_set_data_handle(out, dst);
    dnnl_exec_arg_t args[] = {{DNNL_ARG_FROM, in}, {DNNL_ARG_TO, out}, {DNNL_ARG_SCRATCHPAD, c->scratch_mem}};
    return dnnl_primitive_execute(e->reorder, c->stream, 3, args);
}

static int starts_with(const char *s, const char *prefix) { return s && strncmp(s, prefix, strlen(prefix)) == 0; }

void facet_conv_destroy(facet_conv *c) {
    if (!c) return;
    if (c->fwd) dnnl_primitive_destroy(c->fwd);
    if (c->bwd_data) dnnl_primitive_destroy(c->bwd_data);
    if (c->bwd_weights) dnnl_primitive_destroy(c->bwd_weights);
    if (c->fpd) dnnl_primitive_desc_destroy(c->fpd);
    if (c->dpd) dnnl_primitive_desc_destroy(c->dpd);
    if (c->wpd) dnnl_primitive_desc_destroy(c->wpd);
    edge *edges[] = {&c->x, &c->w_fwd, &c->y, &c->dy, &c->dw, &c->w_bwd, &c->dx};
    for (int i = 0; i < 7; i++) free_edge(edges[i]);
    dnnl_memory_t mems[] = {c->bias, c->dbias, c->scratch_mem};
    for (int i = 0; i < 3; i++) if (mems[i]) dnnl_memory_destroy(mems[i]);
    if (c->stream) dnnl_stream_destroy(c->stream);
    free(c->w_fwd_buf); free(c->w_bwd_buf); free(c->dw_buf); free(c->scratchpad);
    free(c);
}

static facet_conv *fail(facet_conv *c, const char **why, const char *reason) {
    if (why) *why = reason;
    facet_conv_destroy(c);
    return NULL;
}

static float *buffer(const edge *e) {
    // Weight-sized: 64-byte aligned for the jit kernels' loads.
    if (!e->reorder) return NULL;
    void *p = NULL;
    return posix_memalign(&p, 64, max_size(dnnl_memory_desc_get_size(&e->want), 64)) == 0 ? p : NULL;
}

facet_conv *facet_conv_create(facet_conv_shape s, int batch, int threads, const char **why) {
    dnnl_engine_t engine = shared_engine();
    if (!engine) { if (why) *why = "oneDNN has no CPU engine"; return NULL; }
    facet_conv *c = calloc(1, sizeof *c);
    if (!c) { if (why) *why = "out of memory"; return NULL; }
    c->threads = threads;
    omp_set_num_threads(threads);   // some implementations are chosen for the thread count
    if (dnnl_stream_create(&c->stream, engine, dnnl_stream_default_flags) != dnnl_success)
        return fail(c, why, "oneDNN could not make a stream");

    dnnl_dims_t x_dims = {batch, s.channels, s.height, s.width};
    dnnl_dims_t w_dims = {s.maps, s.channels, s.kernel_height, s.kernel_width};
    dnnl_dims_t b_dims = {s.maps}, y_dims = {batch, s.maps, s.out_height, s.out_width};
    dnnl_dims_t strides = {s.stride, s.stride}, pad = {s.padding, s.padding};
    dnnl_memory_desc_t x_plain, w_plain, b_md, y_plain, x_any, w_any, y_any;
    if (dnnl_memory_desc_init_by_tag(&x_plain, 4, x_dims, dnnl_f32, dnnl_nchw) != dnnl_success
        || dnnl_memory_desc_init_by_tag(&w_plain, 4, w_dims, dnnl_f32, dnnl_oihw) != dnnl_success
        || dnnl_memory_desc_init_by_tag(&b_md, 1, b_dims, dnnl_f32, dnnl_x) != dnnl_success
        || dnnl_memory_desc_init_by_tag(&y_plain, 4, y_dims, dnnl_f32, dnnl_nchw) != dnnl_success
        || dnnl_memory_desc_init_by_tag(&x_any, 4, x_dims, dnnl_f32, dnnl_format_tag_any) != dnnl_success
        || dnnl_memory_desc_init_by_tag(&w_any, 4, w_dims, dnnl_f32, dnnl_format_tag_any) != dnnl_success
        || dnnl_memory_desc_init_by_tag(&y_any, 4, y_dims, dnnl_f32, dnnl_format_tag_any) != dnnl_success)
        return fail(c, why, "oneDNN refused the shape");

    dnnl_convolution_desc_t fd, dd, wd;
    dnnl_primitive_attr_t attr = scratch_attr();
    int bad = dnnl_convolution_forward_desc_init(&fd, dnnl_forward_training, dnnl_convolution_direct, &x_any, &w_any,
                                                 &b_md, &y_any, strides, pad, pad) != dnnl_success
        || dnnl_primitive_desc_create(&c->fpd, &fd, attr, engine, NULL) != dnnl_success
        || dnnl_convolution_backward_data_desc_init(&dd, dnnl_convolution_direct, &x_any, &w_any, &y_any, strides, pad,
                                                    pad) != dnnl_success
        || dnnl_primitive_desc_create(&c->dpd, &dd, attr, engine, c->fpd) != dnnl_success
        || dnnl_convolution_backward_weights_desc_init(&wd, dnnl_convolution_direct, &x_any, &w_any, &b_md, &y_any,
                                                       strides, pad, pad) != dnnl_success
        || dnnl_primitive_desc_create(&c->wpd, &wd, attr, engine, c->fpd) != dnnl_success;
    dnnl_primitive_attr_destroy(attr);
    if (bad) return fail(c, why, "oneDNN has no convolution for the shape");
    const char *impl = facet_conv_impl(c);
    if (!starts_with(impl, "jit")) return fail(c, why, "oneDNN would not run the shape on a jit kernel");

    // One reorder of x serves the forward and backward weights; they must want the same layout.
    const dnnl_memory_desc_t *src = query(c->fpd, dnnl_query_src_md);
    if (!dnnl_memory_desc_equal(src, query(c->wpd, dnnl_query_src_md)))
        return fail(c, why, "oneDNN's passes want the source in different layouts");

    size_t scratch = 0;
    dnnl_primitive_desc_t pds[] = {c->fpd, c->dpd, c->wpd};
    for (int i = 0; i < 3; i++) scratch = max_size(scratch, dnnl_memory_desc_get_size(query(pds[i], dnnl_query_scratchpad_md)));
    if (make_edge(&c->x, &x_plain, src, 1, &scratch)
        || make_edge(&c->w_fwd, &w_plain, query(c->fpd, dnnl_query_weights_md), 1, &scratch)
        || make_edge(&c->y, &y_plain, query(c->fpd, dnnl_query_dst_md), 0, &scratch)
        || make_edge(&c->dy, &y_plain, query(c->wpd, dnnl_query_diff_dst_md), 1, &scratch)
        || make_edge(&c->dw, &w_plain, query(c->wpd, dnnl_query_diff_weights_md), 0, &scratch)
        || make_edge(&c->w_bwd, &w_plain, query(c->dpd, dnnl_query_weights_md), 1, &scratch)
        || make_edge(&c->dx, &x_plain, query(c->dpd, dnnl_query_diff_src_md), 0, &scratch))
        return fail(c, why, "oneDNN could not reorder to the convolution's layouts");
    if (!dnnl_memory_desc_equal(query(c->wpd, dnnl_query_diff_dst_md), query(c->dpd, dnnl_query_diff_dst_md)))
        return fail(c, why, "oneDNN's backward passes want dy in different layouts");

    if (dnnl_memory_create(&c->bias, &b_md, engine, DNNL_MEMORY_NONE) != dnnl_success
        || dnnl_memory_create(&c->dbias, &b_md, engine, DNNL_MEMORY_NONE) != dnnl_success)
        return fail(c, why, "oneDNN could not describe the tensors");
    if (posix_memalign(&c->scratchpad, 64, max_size(scratch, 64)) != 0) return fail(c, why, "out of memory");
    dnnl_memory_desc_t scratch_md;
    dnnl_dims_t scratch_dims = {(dnnl_dim_t)max_size(scratch, 1)};
    if (dnnl_memory_desc_init_by_tag(&scratch_md, 1, scratch_dims, dnnl_u8, dnnl_x) != dnnl_success
        || dnnl_memory_create(&c->scratch_mem, &scratch_md, engine, c->scratchpad) != dnnl_success)
        return fail(c, why, "oneDNN could not describe the scratchpad");
    c->w_fwd_buf = buffer(&c->w_fwd); c->w_bwd_buf = buffer(&c->w_bwd); c->dw_buf = buffer(&c->dw);
    if ((c->w_fwd.reorder && !c->w_fwd_buf) || (c->w_bwd.reorder && !c->w_bwd_buf) || (c->dw.reorder && !c->dw_buf))
        return fail(c, why, "out of memory");

    c->x_floats = c->x.reorder ? floats(src) : 0;
    c->y_floats = c->y.reorder ? floats(&c->y.want) : 0;
    c->dy_floats = c->dy.reorder ? floats(&c->dy.want) : 0;
    // dx takes the reordered input's place once the weight gradient is taken, when there is one
    // and it fits (not with one input channel: x stays NCHW, and dx is padded to a block).
    c->dx_floats = c->dx.reorder && (!c->x.reorder || dnnl_memory_desc_get_size(&c->dx.want) > dnnl_memory_desc_get_size(src))
        ? floats(&c->dx.want) : 0;
    if (dnnl_primitive_create(&c->fwd, c->fpd) != dnnl_success) return fail(c, why, "oneDNN could not build the kernel");
    return c;
}

const char *facet_conv_impl(const facet_conv *c) {
    const char *s = NULL;
    if (dnnl_primitive_desc_query(c->fpd, dnnl_query_impl_info_str, 0, &s) != dnnl_success) return "?";
    return s ? s : "?";
}

size_t facet_conv_forward_scratch_floats(const facet_conv *c) { return c->y_floats + c->x_floats; }
size_t facet_conv_backward_scratch_floats(const facet_conv *c) { return c->dy_floats + c->x_floats + c->dx_floats; }

#define TRY(x) do { int s_ = (x); if (s_) return s_; } while (0)

/// x in the primitive's layout: reordered into `into`, or x itself when the layouts agree.
static int source(facet_conv *c, const float *x, float *into, const float **out) {
    if (!c->x.reorder) { *out = x; return 0; }
    *out = into;
    return cross(c, &c->x, 1, x, into);
}

int facet_conv_forward(facet_conv *c, const float *x, const float *w, const float *b, float *scratch, float *y) {
    omp_set_num_threads(c->threads);
    // scratch: [y in the primitive's layout | x in the primitive's layout]
    const float *src;
    TRY(source(c, x, scratch + c->y_floats, &src));
    float *dst = c->y.reorder ? scratch : y;
    const float *wk = c->w_fwd.reorder ? c->w_fwd_buf : w;
    if (c->w_fwd.reorder) TRY(cross(c, &c->w_fwd, 1, w, c->w_fwd_buf));
    dnnl_memory_set_data_handle(c->x.want_mem, (void *)src);
    dnnl_memory_set_data_handle(c->w_fwd.want_mem, (void *)wk);
    dnnl_memory_set_data_handle(c->bias, (void *)b);
    dnnl_memory_set_data_handle(c->y.want_mem, dst);
    dnnl_exec_arg_t args[] = {{DNNL_ARG_SRC, c->x.want_mem}, {DNNL_ARG_WEIGHTS, c->w_fwd.want_mem},
                              {DNNL_ARG_BIAS, c->bias}, {DNNL_ARG_DST, c->y.want_mem},
                              {DNNL_ARG_SCRATCHPAD, c->scratch_mem}};
    TRY(dnnl_primitive_execute(c->fwd, c->stream, 5, args));
    if (c->y.reorder) TRY(cross(c, &c->y, 0, dst, y));
    return dnnl_stream_wait(c->stream);
}

int facet_conv_backward(facet_conv *c, const float *x, const float *dy, const float *w, float *scratch, float *dx,
                        float *dw, float *db) {
    omp_set_num_threads(c->threads);
    if (!c->bwd_weights && dnnl_primitive_create(&c->bwd_weights, c->wpd) != dnnl_success) return 1;
    if (dx && !c->bwd_data && dnnl_primitive_create(&c->bwd_data, c->dpd) != dnnl_success) return 1;
    // scratch: [dy in the primitive's layout | x, then dx, in the primitive's layout | dx when it
    // cannot take x's place]
    float *xk = scratch + c->dy_floats;
    const float *src;
    TRY(source(c, x, xk, &src));
    const float *g = dy;
    if (c->dy.reorder) { TRY(cross(c, &c->dy, 1, dy, scratch)); g = scratch; }
    float *dwk = c->dw.reorder ? c->dw_buf : dw;
    dnnl_memory_set_data_handle(c->x.want_mem, (void *)src);
    dnnl_memory_set_data_handle(c->dy.want_mem, (void *)g);
    dnnl_memory_set_data_handle(c->dw.want_mem, dwk);
    dnnl_memory_set_data_handle(c->dbias, db);
    dnnl_exec_arg_t wargs[] = {{DNNL_ARG_SRC, c->x.want_mem}, {DNNL_ARG_DIFF_DST, c->dy.want_mem},
                               {DNNL_ARG_DIFF_WEIGHTS, c->dw.want_mem}, {DNNL_ARG_DIFF_BIAS, c->dbias},
                               {DNNL_ARG_SCRATCHPAD, c->scratch_mem}};
    TRY(dnnl_primitive_execute(c->bwd_weights, c->stream, 5, wargs));
    if (c->dw.reorder) TRY(cross(c, &c->dw, 0, c->dw_buf, dw));
    if (!dx) return dnnl_stream_wait(c->stream);
    const float *wk = c->w_bwd.reorder ? c->w_bwd_buf : w;
    if (c->w_bwd.reorder) TRY(cross(c, &c->w_bwd, 1, w, c->w_bwd_buf));
    float *gx = !c->dx.reorder ? dx : c->dx_floats ? xk + c->x_floats : xk;
    dnnl_memory_set_data_handle(c->w_bwd.want_mem, (void *)wk);
    dnnl_memory_set_data_handle(c->dx.want_mem, gx);
    dnnl_exec_arg_t dargs[] = {{DNNL_ARG_DIFF_DST, c->dy.want_mem}, {DNNL_ARG_WEIGHTS, c->w_bwd.want_mem},
                               {DNNL_ARG_DIFF_SRC, c->dx.want_mem}, {DNNL_ARG_SCRATCHPAD, c->scratch_mem}};
    TRY(dnnl_primitive_execute(c->bwd_data, c->stream, 4, dargs));
    if (c->dx.reorder) TRY(cross(c, &c->dx, 0, gx, dx));
    return dnnl_stream_wait(c->stream);
}
