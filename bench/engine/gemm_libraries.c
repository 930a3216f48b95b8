// OpenBLAS sgemm against oneDNN's dnnl_sgemm, single-threaded, at the GEMM shapes the engine runs
// for the paper's net at batch 100: each conv product for one image (as a worker thread runs it)
// and each dense product for half the layer (as the engine's two-way split runs it). Prints GFLOP/s
// and oneDNN / OpenBLAS per product: the first measurement behind `GEMMSite.rule` (the per-shape rule came from `facet bench --layers` over the study nets).
//   bench/engine/gemm_libraries.sh builds and runs it (as the environment is, and with
//   OPENBLAS_CORETYPE unset).
#include <oneapi/dnnl/dnnl.h>
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void omp_set_num_threads(int);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef struct { const char *what; char ta, tb; int m, n, k; float beta; } Shape;

int main(void) {
    // beta as the engine uses it: 1 where it accumulates, the momentum 0.9 for folded SGD, else 0
    const Shape shapes[] = {
        {"conv 1 fwd (64x1936x25)", 'N', 'N', 64, 1936, 25, 1},
        {"conv 1 dW (64x25x1936)", 'N', 'T', 64, 25, 1936, 1},
        {"conv 2 fwd (64x324x1600)", 'N', 'N', 64, 324, 1600, 1},
        {"conv 2 dW (64x1600x324)", 'N', 'T', 64, 1600, 324, 1},
        {"conv 2 dcol (1600x324x64)", 'T', 'N', 1600, 324, 64, 0},
        {"conv 3 fwd (128x225x1024)", 'N', 'N', 128, 225, 1024, 1},
        {"conv 3 dW (128x1024x225)", 'N', 'T', 128, 1024, 225, 1},
        {"conv 3 dcol (1024x225x128)", 'T', 'N', 1024, 225, 128, 0},
        {"dense fwd /2 (100x1536x28800)", 'N', 'T', 100, 1536, 28800, 1},
        {"dense dW /2 (3072x14400x100)", 'T', 'N', 3072, 14400, 100, 0.9f},
        {"dense dx /2 (100x14400x3072)", 'N', 'N', 100, 14400, 3072, 0},
    };
    openblas_set_num_threads(1);
    omp_set_num_threads(1);
    printf("%-32s %9s %9s %8s\n", "product (M x N x K)", "OpenBLAS", "oneDNN", "ratio");
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        Shape s = shapes[i];
        size_t na = (size_t)s.m * s.k, nb = (size_t)s.k * s.n, nc = (size_t)s.m * s.n;
        float *a = malloc(na * 4), *b = malloc(nb * 4), *c = malloc(nc * 4);
        for (size_t j = 0; j < na; j++) a[j] = (float)(j % 7) * 0.1f;
        for (size_t j = 0; j < nb; j++) b[j] = (float)(j % 5) * 0.1f;
        for (size_t j = 0; j < nc; j++) c[j] = 0;
        int lda = s.ta == 'N' ? s.k : s.m, ldb = s.tb == 'N' ? s.n : s.k;
        double flop = 2.0 * s.m * s.n * (double)s.k;
        int inner = flop > 2e9 ? 1 : 100;   // small products: time 100 calls together
        double best[2] = {1e30, 1e30};
        for (int library = 0; library < 2; library++) {
            for (int r = 0; r < 4; r++) {   // best of 3 after a warm-up
                double t = now();
                for (int q = 0; q < inner; q++) {
                    if (library == 0)
                        cblas_sgemm(CblasRowMajor, s.ta == 'N' ? CblasNoTrans : CblasTrans,
                                    s.tb == 'N' ? CblasNoTrans : CblasTrans, s.m, s.n, s.k, 1, a, lda, b, ldb,
                                    s.beta, c, s.n);
                    else
                        dnnl_sgemm(s.ta, s.tb, s.m, s.n, s.k, 1, a, lda, b, ldb, s.beta, c, s.n);
                }
                double d = (now() - t) / inner;
                if (r > 0 && d < best[library]) best[library] = d;
            }
        }
        printf("%-32s %9.1f %9.1f %7.2fx\n", s.what, flop / best[0] / 1e9, flop / best[1] / 1e9, best[0] / best[1]);
        free(a); free(b); free(c);
    }
    return 0;
}
