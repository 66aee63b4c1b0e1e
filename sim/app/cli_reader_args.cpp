// Arguments of the commands that read a results file (cli_common.h).
#include <boost/program_options.hpp>

#include "cli_common.h"
#include "error.h"

namespace po = boost::program_options;

namespace corestride {

ReaderArgs parseReaderArgs(const std::vector<std::string>& args, const std::string& usage, const ReaderOptions& which,
                           std::ostream& out) {
    po::options_description opts("options");
    opts.add_options()("help,h", "show this help")("input", po::value<std::string>(), "results file");
    if (which.output)
        opts.add_options()("output,o", po::value<std::string>(), "output")("overwrite", "replace an existing output");
    else
        opts.add_options()("json", "JSON instead of a table");
    if (which.figures)
        opts.add_options()("metric", po::value<std::string>(), "sweep metric of the heat map (default L5_S1_peak_compression_N)")(
            "run", po::value<std::string>(), "run of the muscle-group and stick figures (default: weakened, else the first)");
    else if (which.run)
        opts.add_options()("run", po::value<std::string>(), "export only this run (default: every run)");
    po::positional_options_description pos;
    pos.add("input", 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UserError(std::string(e.what()) + "\n" + usage);
    }
    ReaderArgs a;
    a.help = vm.count("help") > 0;
    if (a.help) { out << usage << opts; return a; }
    if (!vm.count("input")) throw UserError("missing RESULTS.h5\n" + usage);
    a.input = vm["input"].as<std::string>();
    if (which.output) {
        if (!vm.count("output")) throw UserError("missing -o OUTPUT\n" + usage);
        a.output = vm["output"].as<std::string>();
        a.overwrite = vm.count("overwrite") > 0;
    } else {
        a.json = vm.count("json") > 0;
    }
    if (vm.count("metric")) a.metric = vm["metric"].as<std::string>();
    if (vm.count("run")) a.run = vm["run"].as<std::string>();
    return a;
}

}  // namespace corestride
