// corestride validate: the validation suite (sim/study/validation.h) with its table written as
// Markdown, HTML and TSV into an output directory, atomically.
#include <fstream>
#include <iomanip>
#include <iostream>

#include <boost/program_options.hpp>

#include "cli_common.h"
#include "error.h"
#include "output_dir.h"
#include "validation.h"
#include "paths.h"

namespace po = boost::program_options;

namespace corestride {
namespace {

void writeFile(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary);
    f << text;
    f.close();
    if (!f) throw UserError(path + ": cannot write (disk full or no permission?)");
}

// Writes `text` to `path` through a temporary file and a rename; refuses an existing file
// unless overwrite.
void writeFileAtomically(const std::string& path, const std::string& text, bool overwrite) {
    if (!overwrite && std::ifstream(path)) throw UserError(path + " exists; pass --overwrite to replace it");
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    writeFile(tmp, text);
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw UserError(path + ": cannot replace it");
    }
}

}  // namespace

int validateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    po::options_description opts("validate options");
    opts.add_options()("help,h", "show this help")
        ("output,o", po::value<std::string>(), "output directory: validation.html, validation.md, validation.tsv")
        ("markdown", po::value<std::string>(), "also write the Markdown table to this file (docs/validation.md)")
        ("shared", po::value<std::string>()->default_value(dataRoot() + "/../shared"),
         "the shared data folder with the optional treadmill trials (data/running/hamner2013_subject01)")
        ("overwrite", po::bool_switch(), "replace existing outputs")
        ("quiet", po::bool_switch(), "no progress lines");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(opts).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UserError(std::string("validate: ") + e.what());
    }
    if (vm.count("help")) {
        out << "usage: corestride validate -o DIR [--markdown FILE] [--shared DIR] [--overwrite] [--quiet]\n"
               "Runs every validation case and writes the table. Exit 0 when every case that ran lies within its\n"
               "published band, 4 when some case lies outside.\n" << opts;
        return 0;
    }
    if (!vm.count("output")) throw UserError("validate: missing -o DIR");
    const bool overwrite = vm["overwrite"].as<bool>();
    OutputDir dir(vm["output"].as<std::string>(), overwrite);
    ValidationOptions o;
    o.shared_dir = vm["shared"].as<std::string>();
    const bool quiet = vm["quiet"].as<bool>();
    o.progress = [&](const std::string& s) { if (!quiet) err << "validate: " << s << "\n"; };
    const ValidationReport rep = runValidation(o);

    std::ostringstream md, html, tsv;
    writeValidationMarkdown(rep, md);
    writeValidationHtml(rep, html);
    tsv << "id\tvalue\tunit\tlo\thi\twithin\tskipped\n" << std::setprecision(10);
    int ran = 0, outside = 0;
    for (const ValidationRow& r : rep.rows) {
        tsv << r.id << "\t" << r.value << "\t" << r.unit << "\t" << r.lo << "\t" << r.hi << "\t" << (r.within() ? 1 : 0) << "\t"
            << r.skipped << "\n";
        if (!r.skipped.empty()) continue;
        ++ran;
        outside += !r.within();
    }
    writeFile(dir.path() + "/validation.md", md.str());
    writeFile(dir.path() + "/validation.html", html.str());
    writeFile(dir.path() + "/validation.tsv", tsv.str());
    if (vm.count("markdown")) writeFileAtomically(vm["markdown"].as<std::string>(), md.str(), overwrite);
    dir.commit();

    out << std::left;
    for (const ValidationRow& r : rep.rows) {
        if (!r.skipped.empty()) { out << "  skipped  " << r.id << ": " << r.skipped << "\n"; continue; }
        out << (r.within() ? "  within   " : "  OUTSIDE  ") << std::setw(44) << r.id << " " << std::setprecision(4) << r.value << " "
            << r.unit << "  (band " << r.lo << " - " << r.hi << ")\n";
    }
    out << "validate: " << ran << " cases, " << ran - outside << " within, " << outside << " outside; written: "
        << dir.finalPath() << "/validation.{md,html,tsv}\n";
    return outside == 0 ? 0 : kExitValidationOutside;
}

}  // namespace corestride
