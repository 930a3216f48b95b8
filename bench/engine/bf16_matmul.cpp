// bf16 go/no-go prototype (issue 21, part 3): oneDNN matmul in bf16 (fp32 accumulation and
// output) against fp32, and against OpenBLAS sgemm, at the GEMM shapes one training step of the
// paper's net runs at batch 100. Prints GFLOP/s per shape and the bf16/fp32 speed-up.
//   bench/engine/bf16.sh builds and runs it.
#include <oneapi/dnnl/dnnl.hpp>
#include <cblas.h>
#include <chrono>
#include <cstdio>
#include <vector>
#include <algorithm>

using namespace dnnl;
using dt = memory::data_type;
using tag = memory::format_tag;

static double seconds(const std::chrono::steady_clock::time_point &t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Best of `reps` runs of an M×K · K×N product, after one warm-up.
static double onednn(engine &eng, stream &s, int M, int N, int K, dt in, int reps) {
    memory::desc a({M, K}, in, tag::ab), b({K, N}, in, tag::ab), c({M, N}, dt::f32, tag::ab);
    matmul::primitive_desc pd(matmul::desc(a, b, c), eng);
    memory ma(a, eng), mb(b, eng), mc(c, eng);
    // fill with something finite (bf16 memory: zero bytes are fine for timing)
    std::fill((char *)ma.get_data_handle(), (char *)ma.get_data_handle() + a.get_size(), 0x3f);
    std::fill((char *)mb.get_data_handle(), (char *)mb.get_data_handle() + b.get_size(), 0x3f);
    matmul p(pd);
    double best = 1e30;
    for (int r = 0; r <= reps; r++) {
        auto t = std::chrono::steady_clock::now();
        p.execute(s, {{DNNL_ARG_SRC, ma}, {DNNL_ARG_WEIGHTS, mb}, {DNNL_ARG_DST, mc}});
        s.wait();
        if (r > 0) best = std::min(best, seconds(t));
    }
    return 2.0 * M * N * (double)K / best / 1e9;
}

static double blas(int M, int N, int K, int reps) {
    std::vector<float> a((size_t)M * K, 0.5f), b((size_t)K * N, 0.25f), c((size_t)M * N);
    double best = 1e30;
    for (int r = 0; r <= reps; r++) {
        auto t = std::chrono::steady_clock::now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, N, K, 1, a.data(), K, b.data(), N, 0, c.data(), N);
        if (r > 0) best = std::min(best, seconds(t));
    }
    return 2.0 * M * N * (double)K / best / 1e9;
}

int main() {
    engine eng(engine::kind::cpu, 0);
    stream s(eng);
    struct Shape { const char *what; int M, N, K; };
    // Batch 100. conv shapes as one GEMM over the batch (im2col), dense as the layer's products.
    const Shape shapes[] = {
        {"conv 64 5x5 on 22x22 fwd  (64 x 32400 x 1600)", 64, 32400, 1600},
        {"conv 64 5x5 on 22x22 dW   (64 x 1600 x 32400)", 64, 1600, 32400},
        {"conv 64 5x5 on 22x22 dcol (1600 x 32400 x 64)", 1600, 32400, 64},
        {"conv 128 4x4 on 18x18 fwd (128 x 22500 x 1024)", 128, 22500, 1024},
        {"dense 3072 fwd            (100 x 3072 x 28800)", 100, 3072, 28800},
        {"dense 3072 dW             (3072 x 28800 x 100)", 3072, 28800, 100},
        {"dense 3072 dx             (100 x 28800 x 3072)", 100, 28800, 3072},
        {"square 1024", 1024, 1024, 1024},
    };
    printf("%-48s %10s %10s %10s %8s\n", "GEMM (M x N x K)", "sgemm", "dnnl f32", "dnnl bf16", "bf16/best f32");
    double tf = 0, tb = 0;
    for (auto &sh : shapes) {
        double g = blas(sh.M, sh.N, sh.K, 3);
        double f = onednn(eng, s, sh.M, sh.N, sh.K, dt::f32, 3);
        double h = onednn(eng, s, sh.M, sh.N, sh.K, dt::bf16, 3);
        double flop = 2.0 * sh.M * sh.N * (double)sh.K / 1e9;
        if (sh.M != 1024) { tf += flop / std::max(g, f); tb += flop / h; }
        printf("%-48s %10.1f %10.1f %10.1f %8.2fx\n", sh.what, g, f, h, h / std::max(g, f));
    }
    printf("these net shapes together: best fp32 %.1f ms, bf16 %.1f ms: %.2fx\n", tf * 1e3, tb * 1e3, tf / tb);
}
