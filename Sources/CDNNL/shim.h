#include <oneapi/dnnl/dnnl.h>
// Debian's oneDNN runs on libgomp (DNNL_CPU_RUNTIME = OMP) and takes its thread count from the
// calling thread's OpenMP setting; declared here because omp.h lives in GCC's private include dir.
void omp_set_num_threads(int);
