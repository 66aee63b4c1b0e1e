#include "cli.h"

#include <cstdlib>

#include <boost/program_options.hpp>

#include "cli_common.h"
#include "error.h"
#include "model.h"
#include "model_parser.h"
#include "model_summary.h"
#include "paths.h"
#include "version.h"

namespace po = boost::program_options;

namespace corestride {

namespace {

const char* kUsage =
    "usage: corestride <command> [options]\n"
    "commands:\n"
    "  model info [--model FILE] [--mass KG] [--height M] [--compliant-tendon]\n"
    "                      bodies, coordinates, muscles by group, total mass\n"
    "  model check FILE    validate a model file (exit 0 if valid, 2 with the error if not)\n"
    "  run [SCENARIO.cfg] [--section.key=value ...] -o OUT.h5 [--overwrite] [--quiet]\n"
    "                      simulate a running stride with computed muscle control (run --help: every key)\n"
    "  exercises [SCENARIO.cfg] [--training.weeks=N] [--training.sessions_per_week=K] -o OUT.h5\n"
    "                      healthy, weakened, and weakened after each exercise and the whole program\n"
    "  sweep SPEC.cfg -o OUT.h5 [--jobs N] [--save=summary|timeseries]  many scenarios, resumable (docs/sweeps.md)\n"
    "  summary RESULTS.h5 [--json]   key numbers of every run or sweep (docs/analysis.md)\n"
    "  analyze RESULTS.h5 -o ANALYSIS.h5  gait-cycle curves (mean, SD), differences, sweep sensitivities\n"
    "  plot RESULTS.h5 -o DIR         teaching figures, PNG and SVG (needs python3-matplotlib, python3-h5py)\n"
    "  report RESULTS.h5 -o DIR       self-contained HTML report for physical therapists (DIR/index.html)\n"
    "  export RESULTS.h5 -o DIR       OpenSim .mot/.sto files of every run\n"
    "  validate -o DIR [--markdown FILE]  every validation case against published measurements (docs/validation.md)\n"
    "  bench [--repeats N] benchmark: wall time of a stride, control interval, muscle forces, scaling\n"
    "  --version           print the version\n"
    "exit codes: 0 success, 1 internal error, 2 bad input (message names the file and line or key),\n"
    "            3 the simulation failed (the output file records the status),\n"
    "            4 validate: some case lies outside its published band\n";

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& opts,
                        const po::positional_options_description* pos = nullptr) {
    po::variables_map vm;
    try {
        po::command_line_parser p(args);
        p.options(opts);
        if (pos) p.positional(*pos);
        po::store(p.run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UserError(std::string(e.what()));
    }
    return vm;
}

int modelInfo(const std::vector<std::string>& args, std::ostream& out) {
    po::options_description opts("model info options");
    opts.add_options()("help,h", "show this help")
        ("model", po::value<std::string>()->default_value(defaultModelPath()), "model file")
        ("mass", po::value<double>()->default_value(75.0), "subject body mass, kg (scales the model)")
        ("height", po::value<double>()->default_value(1.75), "subject height, m (scales the model)")
        ("compliant-tendon", po::bool_switch(), "compliant instead of rigid tendons");
    auto vm = parse(args, opts);
    if (vm.count("help")) { out << opts; return 0; }
    Subject subject{vm["mass"].as<double>(), vm["height"].as<double>()};
    if (!(subject.mass > 0) || subject.mass > 300) throw UserError("option '--mass': must lie in (0, 300] kg");
    if (!(subject.height > 0.5) || subject.height > 2.5) throw UserError("option '--height': must lie in [0.5, 2.5] m");
    BuildOptions options;
    options.compliant_tendon = vm["compliant-tendon"].as<bool>();
    auto model = Model::build(readModelFile(vm["model"].as<std::string>()), subject, options);
    out << "file " << vm["model"].as<std::string>() << "\n";
    printModelSummary(*model, out);
    return 0;
}

int modelCheck(const std::vector<std::string>& args, std::ostream& out) {
    po::options_description opts("model check options");
    opts.add_options()("help,h", "show this help")("file", po::value<std::string>(), "model file");
    po::positional_options_description pos;
    pos.add("file", 1);
    auto vm = parse(args, opts, &pos);
    if (vm.count("help")) { out << "usage: corestride model check FILE\n"; return 0; }
    if (!vm.count("file")) throw UserError("model check: missing FILE");
    const std::string file = vm["file"].as<std::string>();
    auto desc = readModelFile(file);
    auto model = Model::build(desc, Subject{desc.reference_mass, desc.reference_height});
    out << file << ": ok (" << desc.bodies.size() << " bodies, " << model->coordinates().size()
        << " coordinates, " << desc.muscles.size() << " muscles, " << desc.groups.size() << " groups)\n";
    return 0;
}

}  // namespace

int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        out << kUsage;
        return args.empty() ? kExitUserError : 0;
    }
    if (args[0] == "--version") { out << "corestride " << kSoftwareVersion << "\n"; return 0; }
    const std::vector<std::string> rest1(args.begin() + 1, args.end());
    if (args[0] == "run") return runCommand(rest1, out, err);
    if (args[0] == "bench") return benchCommand(rest1, out, err);
    if (args[0] == "exercises") return exercisesCommand(rest1, out, err);
    if (args[0] == "sweep") return sweepCommand(rest1, out, err);
    if (args[0] == "summary") return summaryCommand(rest1, out, err);
    if (args[0] == "analyze") return analyzeCommand(rest1, out, err);
    if (args[0] == "plot") return plotCommand(rest1, out, err);
    if (args[0] == "report") return reportCommand(rest1, out, err);
    if (args[0] == "export") return exportCommand(rest1, out, err);
    if (args[0] == "validate") return validateCommand(rest1, out, err);
    if (args[0] == "model" && args.size() >= 2) {
        std::vector<std::string> rest(args.begin() + 2, args.end());
        if (args[1] == "info") return modelInfo(rest, out);
        if (args[1] == "check") return modelCheck(rest, out);
    }
    throw UserError("unknown command '" + args[0] + (args.size() > 1 ? " " + args[1] : "") + "'\n" + kUsage);
}

}  // namespace corestride
