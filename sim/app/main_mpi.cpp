// The `corestride-mpi` program (built with -DCORESTRIDE_MPI=ON): corestride whose `sweep` can
// run under mpirun or srun (docs/sweeps.md). Every other command is the same.
#include "cli.h"
#include "cli_common.h"

int main(int argc, char** argv) {
    corestride::CliVariant variant;
    variant.sweep = corestride::mpiSweepCommand;
    return corestride::programMain(argc, argv, variant);
}
