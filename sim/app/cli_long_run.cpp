// The long run's tables on the terminal (run.duration_min > 0): loads and form per epoch, the
// capacity of the groups shown, and when a group could no longer meet the demand.
#include <algorithm>
#include <cmath>
#include <map>
#include <ostream>

#include "capacity.h"
#include "cli_common.h"
#include "scenario_words.h"
#include "text_table.h"

namespace corestride {
namespace {

double formValue(const LongRunResult& lr, int epoch, const std::string& name) {
    for (size_t c = 0; c < lr.form_names.size(); ++c)
        if (lr.form_names[c] == name) return lr.form.at(epoch, static_cast<int>(c));
    return std::nan("");
}

// Larger of the right and left values of a sided form measure.
double bothSides(const LongRunResult& lr, int epoch, const std::string& stem) {
    return std::fmax(formValue(lr, epoch, stem + "_r_deg"), formValue(lr, epoch, stem + "_l_deg"));
}

}  // namespace

void printLongRun(std::ostream& out, const ScenarioRun& run) {
    const LongRunResult& lr = run.result.long_run;
    if (!lr.active) return;
    const double bw = run.reference->bodyWeight();
    out << "  long run: " << lr.status << " (" << lr.epochs << " epochs; a stride at the start of each and at the end)\n";
    const int rows = static_cast<int>(lr.epoch_time.size());
    if (rows == 0) return;
    out << "    loads and form over the run (L5/S1 peaks per stride; form: larger side):\n";
    TextTable t({{"minute", ""}, {"L5/S1 compr.", "BW"}, {"ant. shear", "BW"}, {"trunk lean", "deg"},
                 {"pelvic drop", "deg"}, {"hip add.", "deg"}, {"trunk flex.", "deg"}, {"pelvic tilt", "deg"}, {"reserve", "N m"}});
    for (int k = 0; k < rows; ++k)
        t.add({fixedText(lr.epoch_time[k] / 60, 1), fixedText(lr.peak_compression.at(k, 0) / bw, 2),
               fixedText(lr.peak_ap_shear.at(k, 0) / bw, 2), fixedText(bothSides(lr, k, "form_trunk_lean_to_stance_peak"), 1),
               fixedText(bothSides(lr, k, "form_pelvic_drop_peak"), 1),
               fixedText(bothSides(lr, k, "form_hip_adduction_stance_peak"), 1),
               fixedText(formValue(lr, k, "form_trunk_flexion_mean_deg"), 1),
               fixedText(formValue(lr, k, "form_pelvic_tilt_anterior_mean_deg"), 1), fixedText(lr.reserve_peak[k], 1)});
    t.print(out, "      ");
    // Capacity of the groups the tables show, and every group that ran out.
    std::vector<size_t> shown = capacityGroupsToShow(run.result.capacity);
    for (size_t g = 0; g < lr.group_names.size(); ++g)
        if (!std::isnan(lr.run_out_time[g]) && std::find(shown.begin(), shown.end(), g) == shown.end()) shown.push_back(g);
    if (shown.size() > 6) shown.resize(6);
    std::vector<TextTable::Column> cols{{"minute", ""}};
    for (size_t g : shown) cols.push_back({plainCapacityName(lr.group_names[g]), "%"});
    TextTable ct(cols);
    for (int k = 0; k <= rows; ++k) {
        const bool end = k == rows;
        std::vector<std::string> row{end ? fixedText((lr.completed ? lr.duration : lr.epoch_time.back()) / 60, 1) + " (end)"
                                         : fixedText(lr.epoch_time[k] / 60, 1)};
        for (size_t g : shown)
            row.push_back(fixedText(100 * (end ? lr.capacity_end[g] : lr.capacity.at(k, static_cast<int>(g))), 0));
        ct.add(row);
    }
    out << "    remaining capacity (100% = fresh):\n";
    ct.print(out, "      ");
    int out_count = 0;
    for (size_t g = 0; g < lr.group_names.size(); ++g) {
        if (std::isnan(lr.run_out_time[g])) continue;
        ++out_count;
        out << "    " << plainCapacityName(lr.group_names[g]) << " could no longer meet the demand from minute "
            << fixedText(lr.run_out_time[g] / 60, 1) << "\n";
    }
    if (!out_count) out << "    every muscle group met the demand of its stride for the whole run\n";
}

}  // namespace corestride
