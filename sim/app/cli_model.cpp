// `corestride model info` and `corestride model check`: what a model file builds, and whether
// it is valid.
#include <boost/program_options.hpp>

#include "cli_common.h"
#include "error.h"
#include "model.h"
#include "model_parser.h"
#include "model_summary.h"
#include "paths.h"
#include "scenario.h"

namespace po = boost::program_options;

namespace corestride {

namespace {

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

}  // namespace

int modelInfoCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
    po::options_description opts("model info options");
    opts.add_options()("help,h", "show this help")
        ("model", po::value<std::string>()->default_value(defaultModelPath()), "model file")
        ("mass", po::value<std::string>()->default_value(findScenarioKey("subject.mass")->default_value),
         "subject body mass, kg (scales the model; the range of subject.mass)")
        ("height", po::value<std::string>()->default_value(findScenarioKey("subject.height")->default_value),
         "subject height, m (scales the model; the range of subject.height)")
        ("thigh-scale", po::value<std::string>()->default_value(findScenarioKey("subject.thigh_scale")->default_value),
         "thigh length factor on top of the height (the range of subject.thigh_scale)")
        ("shank-scale", po::value<std::string>()->default_value(findScenarioKey("subject.shank_scale")->default_value),
         "shank length factor on top of the height (the range of subject.shank_scale)")
        ("tendon", po::value<std::string>()->default_value("triceps_surae"),
         "elastic tendons: triceps_surae (the Achilles tendon), rigid, or compliant (every long tendon)");
    auto vm = parse(args, opts);
    if (vm.count("help")) { out << opts; return 0; }
    // The same ranges as the scenario keys subject.mass and subject.height (one table).
    checkValue(*findScenarioKey("subject.mass"), vm["mass"].as<std::string>(), "option '--mass': ", "subject.mass");
    checkValue(*findScenarioKey("subject.height"), vm["height"].as<std::string>(), "option '--height': ", "subject.height");
    checkValue(*findScenarioKey("subject.thigh_scale"), vm["thigh-scale"].as<std::string>(), "option '--thigh-scale': ",
               "subject.thigh_scale");
    checkValue(*findScenarioKey("subject.shank_scale"), vm["shank-scale"].as<std::string>(), "option '--shank-scale': ",
               "subject.shank_scale");
    Subject subject{std::stod(vm["mass"].as<std::string>()), std::stod(vm["height"].as<std::string>()),
                    std::stod(vm["thigh-scale"].as<std::string>()), std::stod(vm["shank-scale"].as<std::string>())};
    BuildOptions options;
    const std::string tendon = vm["tendon"].as<std::string>();
    if (!parseTendonModel(tendon, options.tendon))
        throw UserError("--tendon: '" + tendon + "' is not one of: triceps_surae, rigid, compliant");
    auto model = Model::build(readModelFile(vm["model"].as<std::string>()), subject, options);
    out << "file " << vm["model"].as<std::string>() << "\n";
    printModelSummary(*model, out);
    return 0;
}

int modelCheckCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
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

}  // namespace corestride
