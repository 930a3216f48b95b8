#include <cblas.h>
// Declared by OpenBLAS but not in every cblas.h: the kernel family it selected at load.
char *openblas_get_corename(void);
int openblas_get_num_threads(void);
void openblas_set_num_threads(int);
