// The instruction set CKernels' vector paths use in this process (isa.c). Not part of the public
// header: Swift sees only `facet_kernel_isa`'s name for it.
#ifndef CKERNELS_ISA_H
#define CKERNELS_ISA_H

enum facet_isa { FACET_ISA_SCALAR = 1, FACET_ISA_AVX2, FACET_ISA_AVX512 };

/// Chosen once, when the library loads: AVX-512 (F), else AVX2 with FMA, else scalar code;
/// FACET_KERNEL_ISA=avx2 or scalar asks for a lower one (Tests/kernels: every path against the others).
enum facet_isa facet_isa(void);

#endif
