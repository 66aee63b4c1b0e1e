// `sweep` of the corestride-mpi program: started by mpirun or srun on more than one rank, rank 0
// deals the points to ranks 1..R-1 (sweep_mpi.h) and writes the same file as the threaded
// driver; on one rank, or started without an MPI launcher, it is the threaded `sweep`.
#include <sstream>

#include "cli_common.h"
#include "sweep_mpi.h"

namespace corestride {

int mpiSweepCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (launchedByMpi()) {
        MpiSession session;   // MPI_Finalize on every way out
        if (session.size() > 1) {
            if (session.rank() == 0) return sweepMain(args, out, err, runSweepMpi);
            std::ostringstream sink;   // rank 0 alone reports (same arguments, same errors)
            try {
                sweepMain(args, sink, sink, runSweepMpi);
            } catch (const std::exception&) {
            }
            return 0;
        }
    }
    return sweepMain(args, out, err, nullptr);
}

}  // namespace corestride
