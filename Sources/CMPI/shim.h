// Open MPI for Swift. MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM … are macros over global structs that
// Swift cannot import, so each one Facet uses is exported as a static inline accessor here.
#ifndef FACET_CMPI_SHIM_H
#define FACET_CMPI_SHIM_H
#include <mpi.h>

static inline MPI_Comm facet_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype facet_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype facet_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype facet_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype facet_mpi_long(void) { return MPI_LONG; }
static inline MPI_Op facet_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op facet_mpi_min(void) { return MPI_MIN; }
static inline MPI_Op facet_mpi_max(void) { return MPI_MAX; }
static inline int facet_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline MPI_Request facet_mpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Status *facet_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline void *facet_mpi_in_place(void) { return MPI_IN_PLACE; }

#endif
