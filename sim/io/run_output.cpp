#include "run_output.h"

#include <algorithm>
#include <cmath>

#include "form.h"
#include "results_schema.h"
#include "scenario.h"
#include "version.h"

namespace corestride {

void writeFileHeader(H5Writer& out) {
    out.setStringAttribute("/", schema::attr::kFormat, schema::kFormat);
    out.setIntAttribute("/", schema::attr::kFormatVersion, schema::kFormatVersion);
    out.setStringAttribute("/", schema::attr::kSoftwareVersion, kSoftwareVersion);
}

namespace {

using schema::Path;

// The dataset `key` of run `run` (and lumbar level `level`), with the schema's units.
void writeTable(H5Writer& out, Path key, const std::string& run, const Table& t, const std::vector<std::string>& columns,
                const std::string& frame = "", const std::string& level = "") {
    // A run that failed before its first sample has empty tables: keep the declared width.
    const size_t cols = t.rows() > 0 ? static_cast<size_t>(t.cols) : columns.size();
    out.writeMatrix(schema::path(key, run, level), static_cast<size_t>(t.rows()), cols, t.data, schema::units(key),
                    columns, frame);
}

void writeNames(H5Writer& out, Path key, const std::string& run, const std::vector<std::string>& names) {
    const std::string path = schema::path(key, run);
    out.writeStrings(path, names);
    out.setStringAttribute(path, "units", schema::units(key));
}

void writeValues(H5Writer& out, Path key, const std::string& run, const std::vector<double>& values) {
    out.writeDoubles(schema::path(key, run), values, schema::units(key));
}

}  // namespace

void writeRun(H5Writer& out, const std::string& name, const Scenario& scenario, const ScenarioRun& run) {
    const Model& model = *run.model;
    const RunResult& r = run.result;
    const std::string g = schema::path(Path::Run, name);
    out.createGroup(g);
    out.setStringAttribute(g, schema::attr::kScenario, scenario.toIni());
    out.setStringAttribute(g, schema::attr::kStatus, r.status.text());
    out.setDoubleAttribute(g, "body_mass_kg", run.reference->bodyWeight() / 9.80665);   // declared, before any residual-reduction mass change
    out.setDoubleAttribute(g, "height_m", model.subject().height);
    out.setDoubleAttribute(g, "wall_time_s", r.wall_time);
    out.setStringAttribute(g, "model", model.name());
    out.setIntAttribute(g, "qp_solves", r.qp_solves);
    out.setIntAttribute(g, "qp_failures", r.qp_failures);
    out.setIntAttribute(g, "integrator_steps", r.integrator_steps);
    writeValues(out, Path::Time, name, r.time);

    std::vector<std::string> cnames, cunits, creserve;
    for (const Coordinate& c : model.coordinates()) {
        cnames.push_back(c.name);
        cunits.push_back(c.rotational ? "rad" : "m");
    }
    writeNames(out, Path::CoordinateNames, name, cnames);
    writeNames(out, Path::CoordinateUnits, name, cunits);
    writeTable(out, Path::CoordinateQ, name, r.q, cnames);
    writeTable(out, Path::CoordinateQRef, name, r.q_ref, cnames);
    writeTable(out, Path::CoordinateQd, name, r.qd, cnames);
    writeTable(out, Path::CoordinateQdd, name, r.qdd, cnames);

    std::vector<std::string> mnames, mgroups;
    for (const Muscle& m : model.muscles()) {
        mnames.push_back(m.name);
        std::string gs;
        for (int gi : m.groups) gs += (gs.empty() ? "" : ",") + model.groupNames()[gi];
        mgroups.push_back(gs);
    }
    writeNames(out, Path::MuscleNames, name, mnames);
    writeNames(out, Path::MuscleGroups, name, mgroups);
    writeTable(out, Path::MuscleActivation, name, r.activation, mnames);
    writeTable(out, Path::MuscleExcitation, name, r.excitation, mnames);
    writeTable(out, Path::MuscleForce, name, r.muscle_force, mnames);

    // Reserves: every non-pelvis coordinate; residuals: the pelvis as force and moment.
    std::vector<int> keep;
    for (size_t c = 0; c < cnames.size(); ++c)
        if (cnames[c].rfind("pelvis_", 0) != 0) { keep.push_back(static_cast<int>(c)); creserve.push_back(cnames[c]); }
    Table res;
    res.cols = static_cast<int>(keep.size());
    for (int k = 0; k < r.reserves.rows(); ++k)
        for (int c : keep) res.data.push_back(r.reserves.at(k, c));
    writeTable(out, Path::Reserves, name, res, creserve);
    if (r.joint_moments.rows() == r.reserves.rows()) {   // absent from results read back from format 1-3 files
        Table jm;
        jm.cols = static_cast<int>(keep.size());
        for (int k = 0; k < r.joint_moments.rows(); ++k)
            for (int c : keep) jm.data.push_back(r.joint_moments.at(k, c));
        writeTable(out, Path::JointMoments, name, jm, creserve);
    }
    Table wr;
    wr.cols = 6;
    for (int k = 0; k < r.residual_force.rows(); ++k) {
        for (int i = 0; i < 3; ++i) wr.data.push_back(r.residual_force.at(k, i));
        for (int i = 0; i < 3; ++i) wr.data.push_back(r.residual_moment.at(k, i));
    }
    writeTable(out, Path::Residuals, name, wr,
               {"force_x", "force_y", "force_z", "moment_x", "moment_y", "moment_z"}, "ground; moments about the pelvis origin");

    writeTable(out, Path::GrfForce, name, r.grf_force, {"r_x", "r_y", "r_z", "l_x", "l_y", "l_z"}, "ground");
    writeTable(out, Path::GrfCop, name, r.grf_cop, {"r_x", "r_y", "r_z", "l_x", "l_y", "l_z"}, "ground");
    writeTable(out, Path::GrfFreeMoment, name, r.grf_moment, {"r", "l"}, "ground, about the vertical axis");

    // Lumbar loads per level, in N and body weights, disc frame of the lower vertebra.
    const double bw = run.reference->bodyWeight();
    out.setDoubleAttribute(g, schema::attr::kBodyWeight, bw);
    for (size_t k = 0; k < r.lumbar_force.size(); ++k) {
        std::string level = model.lumbarLevels()[k].joint;   // e.g. L5_S1
        const std::string lg = schema::path(Path::Level, name, level);
        const std::string frame = "disc frame of the lower vertebra at " + level + ": x anterior, y superior, z right";
        const std::vector<std::string> fcols = {"compression", "ap_shear", "lateral_shear"};
        const std::vector<std::string> mcols = {"about_x", "about_y", "about_z"};
        writeTable(out, Path::LevelForce, name, r.lumbar_force[k], fcols, frame, level);
        Table fbw = r.lumbar_force[k];
        for (double& v : fbw.data) v /= bw;
        writeTable(out, Path::LevelForceBw, name, fbw, fcols, frame, level);
        writeTable(out, Path::LevelMoment, name, r.lumbar_moment[k], mcols, frame, level);
        writeTable(out, Path::LevelPassiveMoment, name, r.lumbar_passive[k], mcols, frame, level);
        writeTable(out, Path::LevelReserveMoment, name, r.lumbar_reserve[k], mcols, frame, level);
        writeTable(out, Path::LevelCouplingMoment, name, r.lumbar_coupling[k], mcols, frame, level);
        out.setStringAttribute(lg, "includes",
                               "reaction at the joint centre: disc and facet force plus the passive, reserve and "
                               "coupling-constraint torques at the level, reported separately (docs/lumbar_loads.md)");
        if (k < r.lumbar_stride_metrics.size()) {
            writeTable(out, Path::LevelStrideMetrics, name, r.lumbar_stride_metrics[k], kStrideMetricNames, "", level);
            out.setStringListAttribute(schema::path(Path::LevelStrideMetrics, name, level), "column_units", kStrideMetricUnits);
        }
    }
    writeTable(out, Path::HipForce, name, r.hip_force, {"r_x", "r_y", "r_z", "l_x", "l_y", "l_z"},
               "pelvis; force of each femur on the pelvis");
    std::vector<double> strides;
    for (const auto& [t0, t1] : r.strides) { strides.push_back(t0); strides.push_back(t1); }
    out.writeMatrix(schema::path(Path::Strides, name), r.strides.size(), 2, strides, schema::units(Path::Strides), {"start", "end"});

    // Threshold checks (RunResult::checks): one row per check.
    if (!r.checks.empty()) {
        std::vector<std::string> cn, cu, cs;
        std::vector<double> cv, cl, cp;
        for (const QualityCheck& q : r.checks) {
            cn.push_back(q.name); cu.push_back(q.unit); cs.push_back(q.source);
            cv.push_back(q.value); cl.push_back(q.limit); cp.push_back(q.passed() ? 1 : 0);
        }
        out.createGroup(schema::path(Path::Checks, name));
        writeNames(out, Path::CheckNames, name, cn);
        writeValues(out, Path::CheckValue, name, cv);
        writeValues(out, Path::CheckLimit, name, cl);
        writeNames(out, Path::CheckUnits, name, cu);
        writeNames(out, Path::CheckSource, name, cs);
        writeValues(out, Path::CheckPassed, name, cp);
        out.setIntAttribute(schema::path(Path::Checks, name), "all_passed", std::all_of(cp.begin(), cp.end(), [](double v) { return v == 1; }));
    }

    // Summary numbers of the run and of the reference's construction.
    std::vector<std::string> names;
    std::vector<double> values;
    for (const auto& [n, v] : r.metrics) { names.push_back(n); values.push_back(v); }
    writeNames(out, Path::SummaryNames, name, names);
    writeValues(out, Path::SummaryValues, name, values);
    names.clear();
    values.clear();
    for (const auto& [n, v] : run.reference->diagnostics()) { names.push_back(n); values.push_back(v); }
    writeNames(out, Path::ReferenceNames, name, names);
    writeValues(out, Path::ReferenceValues, name, values);

    // Running form (RunResult::form), when the run produced samples.
    if (r.form.rows() > 0) {
        writeTable(out, Path::Form, name, r.form, kFormColumns, "ground: x forward, y up, z right");
        out.setStringAttribute(schema::path(Path::Form, name), "definition",
                               "trunk_flexion, trunk_lean_right: torso long axis (vertical in the neutral posture) from vertical (+ forward, + right); "
                               "pelvic_obliquity: + right side higher; pelvic_tilt_anterior: + front lower, from the "
                               "model's pelvis frame at zero; hip_adduction_r/l: the coordinates (docs/analysis.md)");
    }

    // Compensate mode: the prediction, the measured stride and the deviation from it.
    const CompensationResult& comp = r.compensation;
    if (comp.active) {
        const std::string cg = schema::path(Path::Compensation, name);
        out.createGroup(cg);
        out.setStringAttribute(cg, "status", comp.status);
        out.setIntAttribute(cg, "solved", comp.solved ? 1 : 0);
        out.setIntAttribute(cg, "iterations", comp.iterations);
        out.setIntAttribute(cg, "evaluations", comp.evaluations);
        out.setIntAttribute(cg, "gradient_evaluations", comp.gradient_evaluations);
        out.setIntAttribute(cg, "nodes", comp.nodes);
        out.setIntAttribute(cg, "harmonics", comp.harmonics);
        out.setDoubleAttribute(cg, "deviation_weight", comp.deviation_weight);
        out.setDoubleAttribute(cg, "cost_effort", comp.costs.effort);
        out.setDoubleAttribute(cg, "cost_effort_measured_stride", comp.effort_measured);
        out.setDoubleAttribute(cg, "cost_reserves", comp.costs.reserves);
        out.setDoubleAttribute(cg, "cost_residuals", comp.costs.residuals);
        out.setDoubleAttribute(cg, "cost_correction", comp.costs.correction);
        out.setDoubleAttribute(cg, "cost_deviation", comp.costs.deviation);
        out.setDoubleAttribute(cg, "cost_objective", comp.costs.objective);
        out.setDoubleAttribute(cg, "reserve_excess_Nm", comp.reserve_excess);
        out.setDoubleAttribute(cg, "wall_time_s", comp.wall_time);
        out.setDoubleAttribute(cg, "evaluation_time_s", comp.evaluation_time);
        out.setDoubleAttribute(cg, "gradient_time_s", comp.gradient_time);
        out.setStringAttribute(cg, "definition",
                               "cost terms are per-node means of the prediction's objective (docs/compensation.md): "
                               "effort sum w a^2, reserves (N m)^2 beyond the healthy runner's, residuals in units of "
                               "the Hicks et al. 2015 thresholds, correction -g0^T p, deviation penalty");
        std::vector<std::string> basis{"mean"};
        for (int k = 1; k <= comp.harmonics; ++k) {
            basis.push_back("cos" + std::to_string(k));
            basis.push_back("sin" + std::to_string(k));
        }
        writeTable(out, Path::CompensationCoefficients, name, comp.coefficients, basis);
        out.setStringListAttribute(schema::path(Path::CompensationCoefficients, name), "rows", cnames);
        if (comp.q_measured.rows() > 0) {
            writeTable(out, Path::CompensationMeasured, name, comp.q_measured, cnames);
            Table dev = r.q_ref;
            for (size_t i = 0; i < dev.data.size() && i < comp.q_measured.data.size(); ++i) dev.data[i] -= comp.q_measured.data[i];
            writeTable(out, Path::CompensationDeviation, name, dev, cnames);
            std::vector<double> peak(cnames.size(), 0.0), rms(cnames.size(), 0.0);
            for (int k = 0; k < dev.rows(); ++k)
                for (int c = 0; c < dev.cols; ++c) {
                    peak[c] = std::max(peak[c], std::abs(dev.at(k, c)));
                    rms[c] += dev.at(k, c) * dev.at(k, c) / dev.rows();
                }
            for (double& v : rms) v = std::sqrt(v);
            writeValues(out, Path::CompensationDeviationPeak, name, peak);
            writeValues(out, Path::CompensationDeviationRms, name, rms);
            out.setStringListAttribute(schema::path(Path::CompensationDeviationPeak, name), "columns", cnames);
            out.setStringListAttribute(schema::path(Path::CompensationDeviationRms, name), "columns", cnames);
            out.setStringAttribute(schema::path(Path::CompensationDeviation, name), "definition",
                                   "compensated stride (coordinates/q_ref) minus the measured stride (compensation/measured)");
            writeTable(out, Path::CompensationFormMeasured, name, comp.form_measured, kFormColumns,
                       "ground: x forward, y up, z right");
        }
    }

    // A long run: per epoch, the capacity, demand, form and loads (RunResult::long_run).
    const LongRunResult& lr = r.long_run;
    if (lr.active) {
        const std::string lg = schema::path(Path::LongRun, name);
        out.createGroup(lg);
        out.setStringAttribute(lg, "status", lr.status);
        out.setIntAttribute(lg, "completed", lr.completed ? 1 : 0);
        out.setDoubleAttribute(lg, "duration_s", lr.duration);
        out.setIntAttribute(lg, "epochs", lr.epochs);
        out.setDoubleAttribute(lg, "fatigue_time_s", lr.fatigue_time);
        out.setStringAttribute(lg, "definition",
                               "one stride at the start of each epoch and one at the end (rows of epoch_time); "
                               "capacity: what a group can still give over what it gave fresh (force-weighted); "
                               "effort: the stride's mean demand over the remaining capacity; demand: the mean "
                               "demand while the group's foot is on the ground over the fresh capacity; "
                               "run_out_time: first time the capacity fell below the demand (NaN: never); "
                               "loads: mean over strides of the per-stride values (docs/long_run.md)");
        writeValues(out, Path::LongRunEpochTime, name, lr.epoch_time);
        writeNames(out, Path::LongRunGroups, name, lr.group_names);
        writeTable(out, Path::LongRunCapacity, name, lr.capacity, lr.group_names);
        writeTable(out, Path::LongRunEffort, name, lr.effort, lr.group_names);
        writeTable(out, Path::LongRunDemand, name, lr.demand, lr.group_names);
        writeValues(out, Path::LongRunCapacityEnd, name, lr.capacity_end);
        writeValues(out, Path::LongRunRunOutTime, name, lr.run_out_time);
        writeTable(out, Path::LongRunForm, name, lr.form, lr.form_names);
        std::vector<std::string> levels;
        for (const LumbarLevel& l : run.model->lumbarLevels()) levels.push_back(l.joint);
        writeTable(out, Path::LongRunPeakCompression, name, lr.peak_compression, levels);
        writeTable(out, Path::LongRunMeanCompression, name, lr.mean_compression, levels);
        writeTable(out, Path::LongRunPeakApShear, name, lr.peak_ap_shear, levels);
        std::vector<std::string> muscles;
        for (const Muscle& m : run.model->muscles()) muscles.push_back(m.name);
        writeTable(out, Path::LongRunMuscleCapacity, name, lr.muscle_capacity, muscles);
    }

    // Capacity use (RunResult::capacity), when the run produced samples.
    const CapacityUse& cap = r.capacity;
    if (!cap.group_names.empty()) {
        writeValues(out, Path::MuscleStrength, name, cap.muscle_strength);
        writeValues(out, Path::MuscleCeiling, name, cap.muscle_ceiling);
        writeValues(out, Path::MuscleUsePeak, name, cap.muscle_peak);
        writeValues(out, Path::MuscleUseMean, name, cap.muscle_mean);
        const std::string cg = schema::path(Path::Capacity, name);
        out.createGroup(cg);
        out.setStringAttribute(cg, "definition",
                               "use of a muscle group on one side: sum of fmax x strength x activation over sum of "
                               "fmax x strength x activation ceiling of its muscles; 1 = every muscle at its ceiling, "
                               "remaining capacity = 1 - use (docs/analysis.md)");
        writeNames(out, Path::CapacityNames, name, cap.group_names);
        writeTable(out, Path::CapacityUse, name, cap.group_use, cap.group_names);
        writeValues(out, Path::CapacityPeak, name, cap.group_peak);
        writeValues(out, Path::CapacityMean, name, cap.group_mean);
        writeValues(out, Path::CapacityStanceMean, name, cap.group_stance_mean);
        writeValues(out, Path::CapacityWeakened, name, std::vector<double>(cap.group_weakened.begin(), cap.group_weakened.end()));
        out.setStringAttribute(schema::path(Path::CapacityStanceMean, name), "description",
                               "mean while the foot of the group's side carries more than 20 N");
    }
}

void writeExercisesTable(H5Writer& out, const ExercisesTable& t) {
    out.writeMatrix(schema::path(Path::ExercisesSummary), t.runs.size(), t.columns.size(), t.values,
                    schema::units(Path::ExercisesSummary), t.columns);
    writeNames(out, Path::ExercisesRuns, "", t.runs);
    writeNames(out, Path::ExercisesTitles, "", t.titles);
    writeNames(out, Path::ExercisesStrengthened, "", t.strengthened);
    const std::string g = schema::path(Path::Exercises);
    out.setDoubleAttribute(g, "training_weeks", t.training_weeks);
    out.setDoubleAttribute(g, "sessions_per_week", t.sessions_per_week);
}

}  // namespace corestride
