#include "run_output.h"

#include <algorithm>

#include "version.h"

namespace corestride {

void writeFileHeader(H5Writer& out) {
    out.setStringAttribute("/", "format", "corestride");
    out.setIntAttribute("/", "format_version", kFormatVersion);
    out.setStringAttribute("/", "software_version", kSoftwareVersion);
}

namespace {

void writeTable(H5Writer& out, const std::string& path, const Table& t, const std::string& units,
                const std::vector<std::string>& columns, const std::string& frame = "") {
    // A run that failed before its first sample has empty tables: keep the declared width.
    const size_t cols = t.rows() > 0 ? static_cast<size_t>(t.cols) : columns.size();
    out.writeMatrix(path, static_cast<size_t>(t.rows()), cols, t.data, units, columns, frame);
}

void writeNames(H5Writer& out, const std::string& path, const std::vector<std::string>& names) {
    out.writeStrings(path, names);
    out.setStringAttribute(path, "units", "1");
}

}  // namespace

void writeRun(H5Writer& out, const std::string& name, const Scenario& scenario, const ScenarioRun& run) {
    const Model& model = *run.model;
    const RunResult& r = run.result;
    const std::string g = "/runs/" + name;
    out.createGroup(g);
    out.setStringAttribute(g, "scenario", scenario.toIni());
    out.setStringAttribute(g, "status", r.status);
    out.setDoubleAttribute(g, "body_mass_kg", run.reference->bodyWeight() / 9.80665);   // declared, before any residual-reduction mass change
    out.setDoubleAttribute(g, "height_m", model.subject().height);
    out.setDoubleAttribute(g, "wall_time_s", r.wall_time);
    out.setStringAttribute(g, "model", model.name());
    out.setIntAttribute(g, "qp_solves", r.qp_solves);
    out.setIntAttribute(g, "qp_failures", r.qp_failures);
    out.setIntAttribute(g, "integrator_steps", r.integrator_steps);
    out.writeDoubles(g + "/time", r.time, "s");

    std::vector<std::string> cnames, cunits, creserve;
    for (const Coordinate& c : model.coordinates()) {
        cnames.push_back(c.name);
        cunits.push_back(c.rotational ? "rad" : "m");
    }
    writeNames(out, g + "/coordinates/names", cnames);
    writeNames(out, g + "/coordinates/units", cunits);
    const std::string qunits = "rad for rotations, m for translations (see coordinates/units)";
    writeTable(out, g + "/coordinates/q", r.q, qunits, cnames);
    writeTable(out, g + "/coordinates/q_ref", r.q_ref, qunits, cnames);
    writeTable(out, g + "/coordinates/qd", r.qd, "rad/s for rotations, m/s for translations", cnames);
    writeTable(out, g + "/coordinates/qdd", r.qdd, "rad/s^2 for rotations, m/s^2 for translations", cnames);

    std::vector<std::string> mnames, mgroups;
    for (const Muscle& m : model.muscles()) {
        mnames.push_back(m.name);
        std::string gs;
        for (int gi : m.groups) gs += (gs.empty() ? "" : ",") + model.groupNames()[gi];
        mgroups.push_back(gs);
    }
    writeNames(out, g + "/muscles/names", mnames);
    writeNames(out, g + "/muscles/groups", mgroups);
    writeTable(out, g + "/muscles/activation", r.activation, "1", mnames);
    writeTable(out, g + "/muscles/excitation", r.excitation, "1", mnames);
    writeTable(out, g + "/muscles/force", r.muscle_force, "N", mnames);

    // Reserves: every non-pelvis coordinate; residuals: the pelvis as force and moment.
    std::vector<int> keep;
    for (size_t c = 0; c < cnames.size(); ++c)
        if (cnames[c].rfind("pelvis_", 0) != 0) { keep.push_back(static_cast<int>(c)); creserve.push_back(cnames[c]); }
    Table res;
    res.cols = static_cast<int>(keep.size());
    for (int k = 0; k < r.reserves.rows(); ++k)
        for (int c : keep) res.data.push_back(r.reserves.at(k, c));
    writeTable(out, g + "/reserves", res, "N m", creserve);
    Table sl;
    sl.cols = res.cols;
    for (int k = 0; k < r.slack.rows(); ++k)
        for (int c : keep) sl.data.push_back(r.slack.at(k, c));
    writeTable(out, g + "/slack", sl, "N m", creserve);
    out.setStringAttribute(g + "/slack", "description",
                           "adaptive mode: generalized force the tracking law asked for that no actuator applied");
    Table wr;
    wr.cols = 6;
    for (int k = 0; k < r.residual_force.rows(); ++k) {
        for (int i = 0; i < 3; ++i) wr.data.push_back(r.residual_force.at(k, i));
        for (int i = 0; i < 3; ++i) wr.data.push_back(r.residual_moment.at(k, i));
    }
    writeTable(out, g + "/residuals", wr, "N (force_*), N m (moment_*)",
               {"force_x", "force_y", "force_z", "moment_x", "moment_y", "moment_z"}, "ground; moments about the pelvis origin");

    writeTable(out, g + "/grf/force", r.grf_force, "N", {"r_x", "r_y", "r_z", "l_x", "l_y", "l_z"}, "ground");
    writeTable(out, g + "/grf/cop", r.grf_cop, "m", {"r_x", "r_y", "r_z", "l_x", "l_y", "l_z"}, "ground");
    writeTable(out, g + "/grf/free_moment", r.grf_moment, "N m", {"r", "l"}, "ground, about the vertical axis");

    // Lumbar loads per level, in N and body weights, disc frame of the lower vertebra.
    const double bw = run.reference->bodyWeight();
    out.setDoubleAttribute(g, "body_weight_N", bw);
    for (size_t k = 0; k < r.lumbar_force.size(); ++k) {
        std::string level = model.lumbarLevels()[k].joint;   // e.g. L5_S1
        const std::string lg = g + "/lumbar/" + level;
        const std::string frame = "disc frame of the lower vertebra at " + level + ": x anterior, y superior, z right";
        const std::vector<std::string> fcols = {"compression", "ap_shear", "lateral_shear"};
        const std::vector<std::string> mcols = {"about_x", "about_y", "about_z"};
        writeTable(out, lg + "/force", r.lumbar_force[k], "N", fcols, frame);
        Table fbw = r.lumbar_force[k];
        for (double& v : fbw.data) v /= bw;
        writeTable(out, lg + "/force_bw", fbw, "BW", fcols, frame);
        writeTable(out, lg + "/moment", r.lumbar_moment[k], "N m", mcols, frame);
        writeTable(out, lg + "/passive_moment", r.lumbar_passive[k], "N m", mcols, frame);
        writeTable(out, lg + "/reserve_moment", r.lumbar_reserve[k], "N m", mcols, frame);
        writeTable(out, lg + "/coupling_moment", r.lumbar_coupling[k], "N m", mcols, frame);
        out.setStringAttribute(lg, "includes",
                               "reaction at the joint centre: disc and facet force plus the passive, reserve and "
                               "coupling-constraint torques at the level, reported separately (docs/lumbar_loads.md)");
        if (k < r.lumbar_stride_metrics.size()) {
            writeTable(out, lg + "/stride_metrics", r.lumbar_stride_metrics[k], "see column_units", kStrideMetricNames);
            out.setStringListAttribute(lg + "/stride_metrics", "column_units", kStrideMetricUnits);
        }
    }
    writeTable(out, g + "/hip/force", r.hip_force, "N", {"r_x", "r_y", "r_z", "l_x", "l_y", "l_z"},
               "pelvis; force of each femur on the pelvis");
    std::vector<double> strides;
    for (const auto& [t0, t1] : r.strides) { strides.push_back(t0); strides.push_back(t1); }
    out.writeMatrix(g + "/strides", r.strides.size(), 2, strides, "s", {"start", "end"});

    // Threshold checks (RunResult::checks): one row per check.
    if (!r.checks.empty()) {
        std::vector<std::string> cn, cu, cs;
        std::vector<double> cv, cl, cp;
        for (const QualityCheck& q : r.checks) {
            cn.push_back(q.name); cu.push_back(q.unit); cs.push_back(q.source);
            cv.push_back(q.value); cl.push_back(q.limit); cp.push_back(q.passed() ? 1 : 0);
        }
        out.createGroup(g + "/checks");
        writeNames(out, g + "/checks/names", cn);
        out.writeDoubles(g + "/checks/value", cv, "see units");
        out.writeDoubles(g + "/checks/limit", cl, "see units");
        writeNames(out, g + "/checks/units", cu);
        writeNames(out, g + "/checks/source", cs);
        out.writeDoubles(g + "/checks/passed", cp, "1 = value <= limit, 0 = exceeded");
        out.setIntAttribute(g + "/checks", "all_passed", std::all_of(cp.begin(), cp.end(), [](double v) { return v == 1; }));
    }

    // Summary numbers of the run and of the reference's construction.
    std::vector<std::string> names;
    std::vector<double> values;
    for (const auto& [n, v] : r.metrics) { names.push_back(n); values.push_back(v); }
    writeNames(out, g + "/summary/names", names);
    out.writeDoubles(g + "/summary/values", values, "as in the name's suffix (_deg, _cm, _N, _Nm, _s)");
    names.clear();
    values.clear();
    for (const auto& [n, v] : run.reference->diagnostics()) { names.push_back(n); values.push_back(v); }
    writeNames(out, g + "/reference/names", names);
    out.writeDoubles(g + "/reference/values", values, "as in the name's suffix");
}

}  // namespace corestride
