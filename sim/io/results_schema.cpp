#include "results_schema.h"

#include <stdexcept>

namespace corestride::schema {

namespace {

// In the order of enum Path. Units: the `units` attribute the writer sets; "" = a group or a
// dataset written without one (the analysis file's string lists and index arrays).
const std::vector<Entry> kEntries = {
    {"runs", "/runs", ""},
    {"run", "/runs/{run}", ""},
    {"run.time", "/runs/{run}/time", "s"},
    {"run.strides", "/runs/{run}/strides", "s"},
    {"run.coordinates.names", "/runs/{run}/coordinates/names", "1"},
    {"run.coordinates.units", "/runs/{run}/coordinates/units", "1"},
    {"run.coordinates.q", "/runs/{run}/coordinates/q", "rad for rotations, m for translations (see coordinates/units)"},
    {"run.coordinates.q_ref", "/runs/{run}/coordinates/q_ref", "rad for rotations, m for translations (see coordinates/units)"},
    {"run.coordinates.qd", "/runs/{run}/coordinates/qd", "rad/s for rotations, m/s for translations"},
    {"run.coordinates.qdd", "/runs/{run}/coordinates/qdd", "rad/s^2 for rotations, m/s^2 for translations"},
    {"run.muscles.names", "/runs/{run}/muscles/names", "1"},
    {"run.muscles.groups", "/runs/{run}/muscles/groups", "1"},
    {"run.muscles.activation", "/runs/{run}/muscles/activation", "1"},
    {"run.muscles.excitation", "/runs/{run}/muscles/excitation", "1"},
    {"run.muscles.force", "/runs/{run}/muscles/force", "N"},
    {"run.reserves", "/runs/{run}/reserves", "N m"},
    {"run.joint_moments", "/runs/{run}/joint_moments", "N m"},
    {"run.residuals", "/runs/{run}/residuals", "N (force_*), N m (moment_*)"},
    {"run.grf.force", "/runs/{run}/grf/force", "N"},
    {"run.grf.cop", "/runs/{run}/grf/cop", "m"},
    {"run.grf.free_moment", "/runs/{run}/grf/free_moment", "N m"},
    {"run.lumbar", "/runs/{run}/lumbar", ""},
    {"run.lumbar.level", "/runs/{run}/lumbar/{level}", ""},
    {"run.lumbar.level.force", "/runs/{run}/lumbar/{level}/force", "N"},
    {"run.lumbar.level.force_bw", "/runs/{run}/lumbar/{level}/force_bw", "BW"},
    {"run.lumbar.level.moment", "/runs/{run}/lumbar/{level}/moment", "N m"},
    {"run.lumbar.level.passive_moment", "/runs/{run}/lumbar/{level}/passive_moment", "N m"},
    {"run.lumbar.level.reserve_moment", "/runs/{run}/lumbar/{level}/reserve_moment", "N m"},
    {"run.lumbar.level.coupling_moment", "/runs/{run}/lumbar/{level}/coupling_moment", "N m"},
    {"run.lumbar.level.stride_metrics", "/runs/{run}/lumbar/{level}/stride_metrics", "see column_units"},
    {"run.hip.force", "/runs/{run}/hip/force", "N"},
    {"run.checks", "/runs/{run}/checks", ""},
    {"run.checks.names", "/runs/{run}/checks/names", "1"},
    {"run.checks.value", "/runs/{run}/checks/value", "see units"},
    {"run.checks.limit", "/runs/{run}/checks/limit", "see units"},
    {"run.checks.units", "/runs/{run}/checks/units", "1"},
    {"run.checks.source", "/runs/{run}/checks/source", "1"},
    {"run.checks.passed", "/runs/{run}/checks/passed", "1 = value <= limit, 0 = exceeded"},
    {"run.summary.names", "/runs/{run}/summary/names", "1"},
    {"run.summary.values", "/runs/{run}/summary/values", "as in the name's suffix (_deg, _cm, _N, _Nm, _s, _pct)"},
    {"run.reference.names", "/runs/{run}/reference/names", "1"},
    {"run.reference.values", "/runs/{run}/reference/values", "as in the name's suffix"},
    {"run.muscles.strength", "/runs/{run}/muscles/strength", "factor on fmax, 1 = healthy"},
    {"run.muscles.ceiling", "/runs/{run}/muscles/ceiling", "1"},
    {"run.muscles.use_peak", "/runs/{run}/muscles/use_peak", "1 = activation at its ceiling"},
    {"run.muscles.use_mean", "/runs/{run}/muscles/use_mean", "1 = activation at its ceiling"},
    {"run.capacity", "/runs/{run}/capacity", ""},
    {"run.capacity.names", "/runs/{run}/capacity/names", "1"},
    {"run.capacity.use", "/runs/{run}/capacity/use", "1 = every muscle of the group at its ceiling"},
    {"run.capacity.peak", "/runs/{run}/capacity/peak", "1 = every muscle of the group at its ceiling"},
    {"run.capacity.mean", "/runs/{run}/capacity/mean", "1 = every muscle of the group at its ceiling"},
    {"run.capacity.stance_mean", "/runs/{run}/capacity/stance_mean", "1 = every muscle of the group at its ceiling"},
    {"run.capacity.weakened", "/runs/{run}/capacity/weakened", "1 = a group the scenario weakened"},
    {"run.form", "/runs/{run}/form", "rad"},
    {"run.compensation", "/runs/{run}/compensation", ""},
    {"run.compensation.measured", "/runs/{run}/compensation/measured", "rad for rotations, m for translations (see coordinates/units)"},
    {"run.compensation.deviation", "/runs/{run}/compensation/deviation", "rad for rotations, m for translations (see coordinates/units)"},
    {"run.compensation.deviation_peak", "/runs/{run}/compensation/deviation_peak", "rad for rotations, m for translations (see coordinates/units)"},
    {"run.compensation.deviation_rms", "/runs/{run}/compensation/deviation_rms", "rad for rotations, m for translations (see coordinates/units)"},
    {"run.compensation.coefficients", "/runs/{run}/compensation/coefficients", "rad for rotations, m for translations (see coordinates/units)"},
    {"run.compensation.form_measured", "/runs/{run}/compensation/form_measured", "rad"},
    {"run.long_run", "/runs/{run}/long_run", ""},
    {"run.long_run.epoch_time", "/runs/{run}/long_run/epoch_time", "s"},
    {"run.long_run.groups", "/runs/{run}/long_run/groups", "1"},
    {"run.long_run.capacity", "/runs/{run}/long_run/capacity", "1 = the group's fresh capacity"},
    {"run.long_run.effort", "/runs/{run}/long_run/effort", "1 = the group's remaining capacity"},
    {"run.long_run.demand", "/runs/{run}/long_run/demand", "1 = the group's fresh capacity"},
    {"run.long_run.capacity_end", "/runs/{run}/long_run/capacity_end", "1 = the group's fresh capacity"},
    {"run.long_run.run_out_time", "/runs/{run}/long_run/run_out_time", "s"},
    {"run.long_run.form", "/runs/{run}/long_run/form", "deg"},
    {"run.long_run.peak_compression", "/runs/{run}/long_run/peak_compression", "N"},
    {"run.long_run.mean_compression", "/runs/{run}/long_run/mean_compression", "N"},
    {"run.long_run.peak_ap_shear", "/runs/{run}/long_run/peak_ap_shear", "N"},
    {"run.long_run.muscle_capacity", "/runs/{run}/long_run/muscle_capacity", "1 = the muscle's fresh capacity"},
    {"exercises", "/exercises", ""},
    {"exercises.summary", "/exercises/summary", "N, BW, % and N as in each column name"},
    {"exercises.runs", "/exercises/runs", "1"},
    {"exercises.titles", "/exercises/titles", "1"},
    {"exercises.strengthened", "/exercises/strengthened", "1"},
    {"sweep.summary", "/summary", "mixed: see column_units (metric names end in their unit)"},
    {"sweep.status", "/status", "1"},
    {"analysis.cycle_percent", "/runs/{run}/cycle_percent", "%"},
    {"analysis.lumbar.level.force", "/runs/{run}/lumbar/{level}/force", "N"},
    {"analysis.groups.names", "/runs/{run}/groups/names", ""},
    {"analysis.groups.force", "/runs/{run}/groups/force", "N"},
    {"analysis.contact", "/runs/{run}/contact", "1"},
    {"analysis.stick", "/runs/{run}/stick", ""},
    {"analysis.stick.landmarks", "/runs/{run}/stick/landmarks", ""},
    {"analysis.stick.segments", "/runs/{run}/stick/segments", ""},
    {"analysis.stick.time", "/runs/{run}/stick/time", "s"},
    {"analysis.stick.cycle_percent", "/runs/{run}/stick/cycle_percent", "%"},
    {"analysis.stick.points", "/runs/{run}/stick/points", "m"},
    {"analysis.stick.l5s1_force", "/runs/{run}/stick/l5s1_force", "N"},
    {"analysis.stick.points_measured", "/runs/{run}/stick/points_measured", "m"},
    {"analysis.difference", "/differences/{run}", ""},
    {"analysis.difference.lumbar.level.force_mean_change", "/differences/{run}/lumbar/{level}/force_mean_change", "N"},
    {"analysis.difference.lumbar.level.peak_change", "/differences/{run}/lumbar/{level}/peak_change", "N"},
    {"analysis.difference.groups.names", "/differences/{run}/groups/names", ""},
    {"analysis.difference.groups.mean_force_change", "/differences/{run}/groups/mean_force_change", "N"},
    {"analysis.difference.groups.mean_force_change_pct", "/differences/{run}/groups/mean_force_change_pct", "%"},
    {"analysis.sensitivity", "/sensitivity", ""},
    {"analysis.sensitivity.parameters", "/sensitivity/parameters", ""},
    {"analysis.sensitivity.metrics", "/sensitivity/metrics", ""},
    {"analysis.sensitivity.src", "/sensitivity/src", "1"},
    {"analysis.sensitivity.r2", "/sensitivity/r2", "1"},
    {"analysis.sensitivity.first_order", "/sensitivity/first_order", "1"},
};

void replaceAll(std::string& s, const std::string& what, const std::string& with) {
    for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + with.size()))
        s.replace(at, what.size(), with);
}

}  // namespace

const std::vector<Entry>& entries() {
    if (kEntries.size() != static_cast<std::size_t>(Path::Count_))
        throw std::logic_error("results_schema: the table and enum Path differ in length");
    return kEntries;
}

std::string path(Path key, const std::string& run, const std::string& level) {
    std::string p = entries().at(static_cast<std::size_t>(key)).path_template;
    replaceAll(p, "{run}", run);
    replaceAll(p, "{level}", level);
    return p;
}

const char* units(Path key) { return entries().at(static_cast<std::size_t>(key)).units; }

}  // namespace corestride::schema
