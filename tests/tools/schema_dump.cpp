// Prints the C++ results schema (sim/io/results_schema.h) for the test results_schema_python,
// which compares it with analysis/results_schema.py: format lines first, then one line per
// entry, `name<TAB>path template<TAB>units`.
#include <iostream>

#include "results_schema.h"

int main() {
    using namespace corestride::schema;
    std::cout << "#format\t" << kFormat << "\n#format_version\t" << kFormatVersion << "\n#analysis_format\t"
              << kAnalysisFormat << "\n#analysis_format_version\t" << kAnalysisFormatVersion << "\n";
    for (const Entry& e : entries()) std::cout << e.name << '\t' << e.path_template << '\t' << e.units << '\n';
    return 0;
}
