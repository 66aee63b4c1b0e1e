// The MPI driver of `corestride sweep` (built with -DCORESTRIDE_MPI=ON; docs/sweeps.md).
//
// Rank 0 coordinates: it reads the spec, checks the output and journal, and deals point
// indices one at a time to whichever rank asks (dynamic load balancing: a worker asks again as
// soon as it has sent back a point); it also computes points on one local thread, so that R
// ranks use R cores. Ranks 1..R-1 compute each point
// with runSweepPoint() and send back its journal line (formatJournalRecord()), so rank 0 gets
// exactly the row a threaded run gets. Rank 0 then journals, reports progress and writes the
// file through runSweep() (SweepOptions::compute), hence the same resume and the same file
// bitwise (except wall times) as a threaded run. Ranks > 0 only read the spec and its base
// scenario and models; they write nothing. --save=timeseries is refused (exit 2).
#pragma once

#include <string>

#include "sweep.h"

namespace corestride {

// Launched by an MPI starter (mpirun, srun): OMPI_COMM_WORLD_SIZE, PMIX_RANK or PMI_RANK set.
bool launchedByMpi();

// MPI_Init / MPI_Finalize (MPI_COMM_WORLD) for the lifetime of the object.
class MpiSession {
public:
    MpiSession();
    ~MpiSession();
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;
    int rank() const { return rank_; }
    int size() const { return size_; }

private:
    int rank_ = 0, size_ = 1;
};

// Call on every rank of MPI_COMM_WORLD (size > 1). Rank 0: as runSweep(readSweepSpec(spec_file),
// options) with the points computed by the other ranks; throws what those throw, after
// releasing every worker. Ranks > 0: compute what rank 0 deals until it says stop; return an
// empty report.
SweepReport runSweepMpi(const std::string& spec_file, const SweepOptions& options);

}  // namespace corestride
