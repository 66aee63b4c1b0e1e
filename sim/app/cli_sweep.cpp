// `corestride sweep`: every point of a sweep spec, on worker threads, into one HDF5 file;
// interruptible and resumable (sweep.h). The corestride-mpi program (cli_sweep_mpi.cpp) runs
// the same command with the points computed by MPI ranks 1..R-1 (sweep_mpi.h).
#include <cstdlib>
#include <iomanip>
#include <sstream>

#include <boost/program_options.hpp>

#include "cli_common.h"
#include "error.h"
#include "sweep.h"

namespace po = boost::program_options;

namespace corestride {

int sweepMain(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, SweepDriver driver) {
    const std::string usage =
        "usage: corestride sweep SPEC.cfg -o OUT.h5 [--jobs N] [--save=summary|timeseries] [--max-points N] [--yes]\n"
        "                        [--overwrite] [--quiet]\n"
        "Runs every point of the spec (docs/sweeps.md). Interrupted (even by kill -9), the same command\n"
        "with the same output resumes where it stopped. Exit 0 when every point is ok, 3 when the file\n"
        "is written but some points failed (see /status), 2 for bad input.\n";
    po::options_description opts("options");
    opts.add_options()("help,h", "show this help")
        ("output,o", po::value<std::string>(), "HDF5 output file (required)")
        ("jobs,j", po::value<int>()->default_value(0), "worker threads (0 = all cores)")
        ("save", po::value<std::string>()->default_value("summary"), "summary, or timeseries (every point's run)")
        ("max-points", po::value<std::int64_t>()->default_value(1000), "refuse larger designs unless --yes")
        ("yes", po::bool_switch(), "run a design larger than --max-points")
        ("overwrite", po::bool_switch(), "discard an existing output and its journal")
        ("quiet", po::bool_switch(), "no progress on stderr")
        ("stop-after", po::value<int>()->default_value(-1), "compute at most N new points, then stop (resume later)")
        ("spec", po::value<std::vector<std::string>>(), "sweep spec file");
    po::positional_options_description pos;
    pos.add("spec", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UserError(std::string("command line: ") + e.what());
    }
    if (vm.count("help")) { out << usage << opts; return 0; }
    if (!vm.count("spec")) throw UserError("command line: missing SPEC.cfg");
    const auto& specs = vm["spec"].as<std::vector<std::string>>();
    if (specs.size() > 1) throw UserError("command line: more than one spec file ('" + specs[1] + "')");
    if (!vm.count("output")) throw UserError("command line: missing -o OUTPUT.h5");
    SweepOptions o;
    o.output = vm["output"].as<std::string>();
    o.jobs = vm["jobs"].as<int>();
    if (o.jobs < 0) throw UserError("command line: option '--jobs': must be >= 0");
    const std::string save = vm["save"].as<std::string>();
    if (save != "summary" && save != "timeseries")
        throw UserError("command line: option '--save': value '" + save + "' is not one of: summary, timeseries");
    o.save = save == "timeseries" ? SweepSave::Timeseries : SweepSave::Summary;
    o.max_points = vm["max-points"].as<std::int64_t>();
    o.confirm = vm["yes"].as<bool>();
    o.overwrite = vm["overwrite"].as<bool>();
    o.stop_after = vm["stop-after"].as<int>();
    const bool quiet = vm["quiet"].as<bool>();
    if (!quiet)
        o.progress = [&err](const SweepProgress& p) {
            err << "sweep: " << p.done << "/" << p.total << " done (" << p.resumed << " resumed), " << p.failed
                << " failed, " << std::fixed << std::setprecision(2) << p.rate << " points/s, ~" << std::setprecision(0)
                << p.eta << " s left\n";
        };

    SweepReport r;
    if (driver) r = driver(specs[0], o);
    else r = runSweep(readSweepSpec(specs[0]), o);
    if (r.already_complete) {
        out << o.output << ": sweep already complete (" << r.total << " points)\n";
        return 0;
    }
    out << "sweep " << specs[0] << ": " << r.total << " points, " << r.computed << " computed, " << r.resumed
        << " resumed, " << r.failed << " failed\n";
    if (!r.complete) {
        out << "stopped before the end; run the same command again to finish (journal: " << o.output << ".journal)\n";
        return 0;
    }
    out << "written: " << o.output << "\n";
    return r.failed ? kExitSimulationFailed : 0;
}

int sweepCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    // Started by mpirun or srun on several ranks, every rank of this program would compute the
    // whole sweep into the same file: refuse, and name the program that can.
    for (const char* size_var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
        const char* v = std::getenv(size_var);
        if (v && std::atoi(v) > 1)
            throw UserError(std::string("sweep: started on ") + v + " MPI ranks (" + size_var +
                            "), but this corestride computes sweeps on threads; use corestride-mpi (built with "
                            "-DCORESTRIDE_MPI=ON, docs/sweeps.md), or run it without mpirun");
    }
    return sweepMain(args, out, err, nullptr);
}

}  // namespace corestride
