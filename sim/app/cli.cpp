#include "cli.h"

#include <algorithm>
#include <iostream>
#include <sstream>

#include "cli_common.h"
#include "error.h"
#include "version.h"

namespace corestride {

namespace {

// One command of the program: the words that name it, its synopsis and what it does. The usage
// text is printed from this table, so a command cannot be dispatched without being listed.
struct Command {
    std::vector<std::string> words;   // "run", or "model", "info"
    const char* synopsis;             // arguments after the words
    const char* what;
    CommandFn fn;
};

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {{"model", "info"}, "[--model FILE] [--mass KG] [--height M] [--thigh-scale F] [--shank-scale F] [--tendon triceps_surae|rigid|compliant]",
         "bodies, coordinates, muscles by group, total mass", modelInfoCommand},
        {{"model", "check"}, "FILE", "validate a model file (exit 0 if valid, 2 with the error if not)",
         modelCheckCommand},
        {{"run"}, "[SCENARIO.cfg] [--section.key=value ...] -o OUT.h5 [--overwrite] [--quiet]",
         "simulate a running stride with computed muscle control (run --help: every key)", runCommand},
        {{"exercises"}, "[SCENARIO.cfg] [--training.weeks=N] [--training.sessions_per_week=K] -o OUT.h5",
         "healthy, weakened, and weakened after each exercise and the whole program", exercisesCommand},
        {{"sweep"}, "SPEC.cfg -o OUT.h5 [--jobs N] [--save=summary|timeseries]",
         "many scenarios, resumable (docs/sweeps.md)", sweepCommand},
        {{"summary"}, "RESULTS.h5 [--json]", "key numbers of every run or sweep (docs/analysis.md)", summaryCommand},
        {{"analyze"}, "RESULTS.h5 -o ANALYSIS.h5", "gait-cycle curves (mean, SD), differences, sweep sensitivities",
         analyzeCommand},
        {{"plot"}, "RESULTS.h5 -o DIR", "teaching figures, PNG and SVG (needs python3-matplotlib, python3-h5py)",
         plotCommand},
        {{"report"}, "RESULTS.h5 -o DIR", "self-contained HTML report for physical therapists (DIR/index.html)",
         reportCommand},
        {{"export"}, "RESULTS.h5 -o DIR", "OpenSim .mot/.sto files of every run", exportCommand},
        {{"validate"}, "-o DIR [--markdown FILE]",
         "every validation case against published measurements (docs/validation.md)", validateCommand},
        {{"serve"}, "[--port N] [--bind ADDR --allow-remote] [--jobs N]",
         "the what-if explorer: a local web page to change a runner and see the loads (docs/explorer.md)", serveCommand},
        {{"bench"}, "[--repeats N]", "benchmark: wall time of a stride, control interval, muscle forces, scaling",
         benchCommand},
    };
    return table;
}

std::string usage() {
    std::ostringstream os;
    os << "usage: corestride <command> [options]\ncommands:\n";
    for (const Command& c : commands()) {
        std::string name;
        for (const auto& w : c.words) name += (name.empty() ? "" : " ") + w;
        os << "  " << name << " " << c.synopsis << "\n"
           << "      " << c.what << "\n";
    }
    os << "  --version\n      print the version\n"
          "exit codes: 0 success, 1 internal error, 2 bad input (message names the file and line or key),\n"
          "            3 the simulation failed (the output file records the status),\n"
          "            4 validate: some case lies outside its published band\n";
    return os.str();
}

// A message as the terminal should show it: control characters and bytes that are not valid
// UTF-8 (binary garbage quoted from a bad file) as \xNN, valid UTF-8 and newlines as they are.
std::string printable(const std::string& text) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool valid = n > 0 && i + n <= text.size();
        for (size_t k = 1; valid && k < n; ++k) valid = (static_cast<unsigned char>(text[i + k]) >> 6) == 0x2;
        if (valid && n == 1 && (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7F))) {
            out += static_cast<char>(c);
        } else if (valid && n > 1) {
            out.append(text, i, n);
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xF];
            n = 1;
        }
        i += n;
    }
    return out;
}

}  // namespace

int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const CliVariant& variant) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        out << usage();
        return args.empty() ? kExitUserError : 0;
    }
    if (args[0] == "--version") { out << "corestride " << kSoftwareVersion << "\n"; return 0; }
    for (const Command& c : commands()) {
        if (args.size() < c.words.size() || !std::equal(c.words.begin(), c.words.end(), args.begin())) continue;
        const std::vector<std::string> rest(args.begin() + static_cast<long>(c.words.size()), args.end());
        if (c.fn == sweepCommand && variant.sweep) return variant.sweep(rest, out, err);
        return c.fn(rest, out, err);
    }
    throw UserError("unknown command '" + args[0] + (args.size() > 1 ? " " + args[1] : "") + "'\n" + usage());
}

int programMain(int argc, char** argv, const CliVariant& variant) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    try {
        return runCli(args, std::cout, std::cerr, variant);
    } catch (const UserError& e) {
        std::cerr << "corestride: error: " << printable(e.what()) << "\n";
        return kExitUserError;
    } catch (const std::exception& e) {
        std::cerr << "corestride: internal error: " << printable(e.what()) << "\n";
        return 1;
    }
}

}  // namespace corestride
