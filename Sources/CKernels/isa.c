// Which vector path every CKernels kernel takes (isa.h). Swift compiles the engine for baseline
// x86-64, so the kernels carry their own AVX-512 and AVX2 code and pick one here, once.
#include "CKernels.h"
#include "isa.h"
#include <stdlib.h>
#include <string.h>

static enum facet_isa chosen = FACET_ISA_SCALAR;

// Runs when the library loads (before any thread can call in), so `chosen` is never written
// concurrently.
__attribute__((constructor)) static void choose_isa(void) {
    enum facet_isa best = FACET_ISA_SCALAR;
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) best = FACET_ISA_AVX512;
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) best = FACET_ISA_AVX2;
#endif
    const char *asked = getenv("FACET_KERNEL_ISA");
    enum facet_isa want = best;
    if (asked && strcmp(asked, "scalar") == 0) want = FACET_ISA_SCALAR;
    else if (asked && strcmp(asked, "avx2") == 0) want = FACET_ISA_AVX2;
    chosen = want < best ? want : best;
}

enum facet_isa facet_isa(void) { return chosen; }

const char *facet_kernel_isa(void) {
    switch (chosen) {
    case FACET_ISA_AVX512: return "avx512";
    case FACET_ISA_AVX2: return "avx2";
    default: return "scalar";
    }
}
