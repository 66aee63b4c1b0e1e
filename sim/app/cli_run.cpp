// `corestride run`: one scenario to one HDF5 file.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <map>
#include <sstream>

#include <boost/program_options.hpp>

#include "cli.h"
#include "capacity.h"
#include "cli_common.h"
#include "error.h"
#include "run.h"
#include "run_output.h"
#include "scenario.h"
#include "scenario_words.h"
#include "text_table.h"

namespace po = boost::program_options;

namespace corestride {

void printScenarioKeys(std::ostream& out) {
    out << "scenario keys (INI [section] key = value, or --section.key=value; the command line wins):\n";
    TextTable t({{"key", "", TextTable::Align::Left},
                 {"unit", "", TextTable::Align::Left},
                 {"default", "", TextTable::Align::Left},
                 {"values", "", TextTable::Align::Left}});
    auto values = [](const KeySpec& k) {
        std::ostringstream os;
        if (k.kind == KeyKind::Number || k.kind == KeyKind::Integer) os << "[" << k.lo << ", " << k.hi << "]";
        if (k.kind == KeyKind::Integer) os << " integer";
        if (k.kind == KeyKind::Choice)
            for (std::size_t i = 0; i < k.choices.size(); ++i) os << (i ? " | " : "") << k.choices[i];
        if (k.kind == KeyKind::Text) os << "text";
        return os.str();
    };
    for (const KeySpec& k : scenarioKeys()) {
        t.add({k.name, k.unit, k.default_value.empty() ? "\"\"" : k.default_value, values(k)});
        t.note("    " + k.help);
    }
    // The open families (study/scenario.h): any group, muscle or coordinate of the model by name.
    struct Family { const char* shown; const char* probe; const char* help; };
    const Family families[] = {
        {"weakness.group.<group>", "weakness.group.x",
         "strength loss of one muscle group (corestride model info lists them), e.g. --weakness.group.glute_max=0.3"},
        {"weakness.muscle.<muscle>", "weakness.muscle.x",
         "strength loss of one muscle of the model file, e.g. --weakness.muscle.glmed1_r=0.5"},
        {"control.reserve_optimal.<coordinate>", "control.reserve_optimal.x",
         "optimal torque of one coordinate's reserve, instead of control.reserve_optimal: its price in the static optimisation, a sensitivity tool (docs/simulation.md, \"Reserves\"), e.g. --control.reserve_optimal.hip_rotation_r=10"}};
    for (const Family& f : families) {
        const KeySpec& k = *findScenarioKey(f.probe);
        t.add({f.shown, k.unit, k.default_value, values(k)});
        t.note(std::string("    ") + f.help);
    }
    t.print(out, "  ");
}

ParsedRunArgs parseRunArgs(const std::vector<std::string>& args, const std::string& usage, std::ostream& out) {
    po::options_description opts("options");
    opts.add_options()("help,h", "show this help and every scenario key")
        ("output,o", po::value<std::string>(), "HDF5 output file (required)")
        ("overwrite", po::bool_switch(), "replace an existing output file")
        ("quiet", po::bool_switch(), "no progress on stderr")
        ("scenario", po::value<std::vector<std::string>>(), "scenario file");
    po::positional_options_description pos;
    pos.add("scenario", -1);
    ParsedRunArgs a;
    po::variables_map vm;
    std::vector<std::string> rest;
    try {
        auto parsed = po::command_line_parser(args).options(opts).positional(pos).allow_unregistered().run();
        po::store(parsed, vm);
        po::notify(vm);
        rest = po::collect_unrecognized(parsed.options, po::exclude_positional);
    } catch (const po::error& e) {
        throw UserError(std::string("command line: ") + e.what());
    }
    if (vm.count("help")) {
        out << usage << opts << "\n";
        printScenarioKeys(out);
        a.help = true;
        return a;
    }
    // --section.key=value or --section.key value
    for (size_t i = 0; i < rest.size(); ++i) {
        const std::string& t = rest[i];
        if (t.rfind("--", 0) != 0) throw UserError("command line: unexpected argument '" + t + "'");
        std::string key = t.substr(2), value;
        const auto eq = key.find('=');
        if (eq != std::string::npos) {
            value = key.substr(eq + 1);
            key = key.substr(0, eq);
        } else if (i + 1 < rest.size()) {
            value = rest[++i];
        } else {
            throw UserError("command line: option '--" + key + "' needs a value");
        }
        if (key.find('.') == std::string::npos) throw UserError("command line: unknown option '--" + key + "'");
        if (a.overrides.count(key))   // as in a scenario file: one value per key
            throw UserError("command line: key '" + key + "' given twice ('" + a.overrides[key] + "' and '" + value + "')");
        a.overrides[key] = value;
    }
    if (vm.count("scenario")) {
        const auto& files = vm["scenario"].as<std::vector<std::string>>();
        if (files.size() > 1) throw UserError("command line: more than one scenario file ('" + files[1] + "')");
        a.scenario_file = files[0];
    }
    if (!vm.count("output")) throw UserError("command line: missing -o OUTPUT.h5");
    a.output = vm["output"].as<std::string>();
    a.overwrite = vm["overwrite"].as<bool>();
    a.quiet = vm["quiet"].as<bool>();
    return a;
}

ProgressPrinter::ProgressPrinter(std::ostream& err, bool quiet, std::string label)
    : err_(err), quiet_(quiet), label_(std::move(label)), start_(std::chrono::steady_clock::now()) {}

void ProgressPrinter::operator()(double fraction) {
    if (quiet_) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (elapsed < 1.0) return;   // quiet for runs shorter than a second
    const int tenth = static_cast<int>(std::floor(fraction * 10));
    if (tenth <= last_tenth_) return;
    last_tenth_ = tenth;
    err_ << label_ << ": " << tenth * 10 << "% after " << std::fixed << std::setprecision(1) << elapsed << " s\n";
}

int runCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const std::string usage = "usage: corestride run [SCENARIO.cfg] [--section.key=value ...] -o OUTPUT.h5 [--overwrite] [--quiet]\n";
    const ParsedRunArgs a = parseRunArgs(args, usage, out);
    if (a.help) return 0;
    const Scenario scenario = Scenario::resolve(a.scenario_file, a.overrides);
    // Refuse an existing output before any work; nothing appears under the name until the end.
    H5Writer writer = H5Writer::create(a.output, a.overwrite);
    const std::string name = scenario.settings().run.name;
    ProgressPrinter progress(err, a.quiet, "run " + name);
    if (!a.quiet && scenario.settings().control.mode == ControlMode::Compensate)
        err << "run " << name << ": predicting the compensated stride, then tracking it\n";
    if (!a.quiet && scenario.settings().run.duration_s > 0)
        err << "run " << name << ": a long run of " << scenario.settings().run.duration_s / 60 << " min in "
            << scenario.settings().run.epochs << " epochs, " << scenario.settings().run.epochs + 1 << " strides\n";
    const ScenarioRun run = runScenario(scenario.settings(), std::ref(progress));
    writeFileHeader(writer);
    writeRun(writer, name, scenario, run);
    writer.commit();
    printRunSummary(out, name, run);
    // A warm-up shorter than asked: the files hold less data before the window.
    const Settings& st = scenario.settings();
    double warm = 0;
    for (const auto& [n, v] : run.result.metrics)
        if (n == "warm_up_s") warm = v;
    if (st.motion.source == MotionSource::Files && !run.result.time.empty() && warm < st.control.warm_up_s - 1e-9)
        out << "  NOTE: warm-up " << warm << " s of the " << st.control.warm_up_s
            << " s asked (control.warm_up): the files hold only that much before motion.t_start, so the first stance "
               "of the window may carry the start-up transient (docs/simulation.md, \"Start-up transient\")\n";
    printLongRun(out, run);
    out << "written: " << a.output << "\n";
    return run.result.status.finished() ? 0 : kExitSimulationFailed;
}

void printRunSummary(std::ostream& out, const std::string& name, const ScenarioRun& run) {
    const RunResult& r = run.result;
    std::map<std::string, double> m(r.metrics.begin(), r.metrics.end());
    out << std::fixed << std::setprecision(2);
    out << "run " << name << ": status " << r.status.text() << ", " << (r.time.empty() ? 0.0 : r.time.back() - r.time.front())
        << " s simulated in " << r.wall_time << " s wall (" << r.control_intervals << " control intervals, "
        << r.integrator_steps << " integrator steps)\n";
    const CompensationResult& comp = r.compensation;
    if (comp.active)
        out << "  compensation: " << comp.status << " after " << comp.iterations << " iterations in " << comp.wall_time
            << " s; muscle effort (mean sum of squared activations) " << comp.effort_measured << " on the measured stride, "
            << comp.costs.effort << " on the compensated one\n";
    if (m.count("plan_iterations"))
        out << "  activation plan (control.plan): converged after " << static_cast<int>(m["plan_iterations"]) << " iterations in "
            << m["plan_wall_s"] << " s; whole-run cost " << m["plan_cost_first_pass"] << " with each interval alone, "
            << m["plan_cost"] << " planned (activations' part " << m["plan_activation_cost_first_pass"] << " -> "
            << m["plan_activation_cost"] << "); the first pass strays up to " << std::setprecision(3)
            << m["plan_first_pass_violation"] << std::setprecision(2) << " from the plan's activation bounds\n";
    if (r.time.empty()) return;
    const double peak = m["peak_external_force_N"];
    out << "  residuals (Hicks et al. 2015: forces <= 5% of peak external force, moments <= 1% of COM height x it):\n"
        << "    force  max " << m["residual_force_max_N"] << " N (" << 100 * m["residual_force_max_N"] / peak
        << "%), rms " << m["residual_force_rms_N"] << " N\n"
        << "    moment max " << m["residual_moment_max_Nm"] << " N m, rms " << m["residual_moment_rms_Nm"]
        << " N m (peak external force " << peak << " N)\n";
    double worst_rot = 0, worst_tr = 0, worst_res = 0;
    std::string wr, wt, wres;
    for (const Coordinate& c : run.model->coordinates()) {
        const double e = m["tracking_rms_" + c.name + (c.rotational ? "_deg" : "_cm")];
        if (c.rotational && e > worst_rot) { worst_rot = e; wr = c.name; }
        if (!c.rotational && e > worst_tr) { worst_tr = e; wt = c.name; }
        if (c.name.rfind("pelvis_", 0) == 0) continue;
        const double a = m["actuator_max_" + c.name + "_Nm"];
        if (a > worst_res) { worst_res = a; wres = c.name; }
    }
    for (const QualityCheck& q : r.checks)
        if (!q.passed())
            out << "  WARNING: " << q.name << " " << q.value << " " << q.unit << " exceeds " << q.limit << " " << q.unit
                << " (" << q.source << ")\n";
    if (worst_rot < 1e-9 && worst_tr < 1e-9)   // control.mode = static: the recorded kinematics themselves
        out << "  tracking: none needed (the recorded kinematics, no simulation)\n";
    else
        out << "  tracking: worst rms " << worst_rot << " deg (" << wr << "), " << worst_tr << " cm (" << wt << ")\n";
    out << "  reserves: largest " << worst_res << " N m (" << wres << ")";
    if (m.count("reserve_share_" + wres + "_pct"))
        out << ", " << std::lround(m["reserve_share_" + wres + "_pct"]) << "% of that joint's peak moment";
    out << "\n";
    // OpenSim's best practices for CMC: peak reserves under 10 % of the peak joint moments. A
    // guideline, not one of the checks: it names the joints whose muscles fall short.
    std::string over;
    for (const Coordinate& c : run.model->coordinates()) {
        auto it = m.find("reserve_share_" + c.name + "_pct");
        if (it != m.end() && it->second > 10)
            over += (over.empty() ? "" : ", ") + c.name + " " + std::to_string(std::lround(it->second)) + "%";
    }
    if (!over.empty())
        out << "  NOTE: reserves above 10% of the joint's peak moment (OpenSim's CMC best practices; the muscles "
               "fall short there): "
            << over << "\n";
    // A weakened runner on the recorded stride: what the weak muscles cannot give goes to the
    // reserves, and the joint loads it stands for are missing (docs/lumbar_audit.md, finding 16).
    const auto& strength = r.capacity.muscle_strength;
    const auto& ceiling = r.capacity.muscle_ceiling;
    bool weakened = false;
    for (size_t i = 0; i < strength.size(); ++i)
        weakened |= strength[i] * (i < ceiling.size() ? ceiling[i] : 1.0) < 0.99;
    if (!over.empty() && weakened && !comp.active)
        out << "  NOTE: the scenario weakens muscles and keeps the recorded stride (control.mode strict or static): where "
               "they fall short the reserves carry their share, and the joint loads that share stands for are "
               "missing; control.mode = compensate lets the form adapt instead (docs/lumbar_audit.md, finding 16)\n";
    // Passive fibre force above a muscle's fmax (cmc.cpp, passive_force_peak_<muscle>_fmax).
    std::string stretched;
    for (const auto& [metric, value] : r.metrics) {
        const std::string pre = "passive_force_peak_", post = "_fmax";
        if (metric.rfind(pre, 0) != 0 || metric == pre + "fmax" || metric.size() <= pre.size() + post.size()) continue;
        std::ostringstream o;
        o << std::fixed << std::setprecision(2) << metric.substr(pre.size(), metric.size() - pre.size() - post.size()) << " "
          << value << " fmax";
        stretched += (stretched.empty() ? "" : ", ") + o.str();
    }
    if (!stretched.empty())
        out << "  NOTE: passive fibre force above the muscle's maximal isometric force: " << stretched
            << ". Beyond the passive curve's range, and with this model's rigid tendons a stretch the short fibres "
               "take alone: the loads near that instant rest on it (docs/lumbar_audit.md, finding 11)\n";
    // A foot off the ground in mid-stance (cmc.cpp, foot_on_ground_<side>): say what it means.
    std::string feet;
    for (const QualityCheck& q : r.checks)
        if (q.name.rfind("foot_on_ground_", 0) == 0 && !q.passed()) {
            const std::string side = q.name.substr(15);
            std::ostringstream o;
            o << std::fixed << std::setprecision(1) << (side == "r" ? "right " : "left ")
              << 100 * m["foot_height_midstance_" + side + "_m"] << " cm";
            feet += (feet.empty() ? "" : ", ") + o.str();
        }
    if (!feet.empty())
        out << "  NOTE: in mid-stance the model's foot is above its centre of pressure by " << feet
            << " (4.4 cm on the built-in stride): the kinematics were probably solved on a model with other segment "
               "lengths, so the ground reaction acts at the wrong place on the foot and the ankle, knee and hip moments "
               "are biased (docs/simulation.md, \"User files\")\n";
    int failed = 0;
    for (const QualityCheck& q : r.checks) failed += !q.passed();
    out << "  checks: " << (failed ? "FAIL, " + std::to_string(failed) + " of " + std::to_string(r.checks.size()) +
                                         " over their thresholds (WARNING lines above)"
                                   : "PASS, all " + std::to_string(r.checks.size()) +
                                         " residual, tracking and foot-contact checks within their thresholds")
        << "\n";
    if (comp.active) {
        // The form change in the clinical measures (form.h): compensated minus measured stride.
        out << "  running form, measured stride -> compensated (deg):\n";
        TextTable ft({{"measure", "", TextTable::Align::Left}, {"measured", "deg"}, {"compensated", "deg"}, {"change", "deg"}});
        const std::pair<const char*, const char*> measures[] = {
            {"trunk_lean_to_stance_peak_r", "trunk lean toward the right stance leg"},
            {"trunk_lean_to_stance_peak_l", "trunk lean toward the left stance leg"},
            {"pelvic_drop_peak_r", "pelvic drop, right stance"},
            {"pelvic_drop_peak_l", "pelvic drop, left stance"},
            {"hip_adduction_stance_peak_r", "right hip adduction in stance"},
            {"hip_adduction_stance_peak_l", "left hip adduction in stance"},
            {"hip_extension_peak_r", "right hip extension at push-off (peak)"},
            {"hip_extension_peak_l", "left hip extension at push-off (peak)"},
            {"trunk_flexion_mean", "trunk flexion (mean)"},
            {"pelvic_tilt_anterior_mean", "anterior pelvic tilt (mean)"}};
        for (const auto& [key, label] : measures) {
            const auto it = m.find(std::string("form_change_") + key + "_deg");
            if (it == m.end()) continue;
            const double now = m[std::string("form_") + key + "_deg"];
            ft.add({label, fixedText(now - it->second, 1), fixedText(now, 1), fixedText(it->second, 1)});
        }
        ft.print(out, "    ");
    }
    if (r.lumbar_stride_metrics.empty()) return;
    // The loads the run exists for: per level, peak compression and anterior shear (mean over
    // strides), in N and body weights.
    const double bw = run.reference->bodyWeight();
    const int strides = r.lumbar_stride_metrics.front().rows();
    out << "  lumbar loads, peak per stride" << (strides > 1 ? " (mean over " + std::to_string(strides) + " strides)" : "")
        << (!r.status.finished() ? "; the run stopped early: these are peaks up to the failure, not results"
            : r.status.kind() == RunStatus::Kind::OverThresholds ? "; the run is over its quality thresholds (WARNING lines above): treat them with caution"
                                        : "")
        << ":\n";
    TextTable t({{"level", "", TextTable::Align::Left},
                 {"compression", "N"},
                 {"", "BW"},
                 {"anterior shear", "N"},
                 {"", "BW"}});
    for (const LumbarLevel& lv : run.model->lumbarLevels()) {
        const std::string& level = lv.joint;
        const double c = m[level + "_peak_compression_N"], sh = m[level + "_peak_anterior_shear_N"];
        std::string label = level;
        std::replace(label.begin(), label.end(), '_', '/');
        t.add({label, fixedText(c, 0), fixedText(c / bw, 2), fixedText(sh, 0), fixedText(sh / bw, 2)});
    }
    t.print(out, "    ");
    // Capacity use of the groups the scenario weakened (gluteus medius and deep core when none).
    const CapacityUse& cap = r.capacity;
    const std::vector<size_t> shown = capacityGroupsToShow(cap);
    if (shown.empty()) return;
    out << "  capacity use (activation over its ceiling, weighted by strength; 100% = the whole group at its limit):\n";
    TextTable ct({{"group", "", TextTable::Align::Left}, {"peak", "%"}, {"mean in stance", "%"}, {"remaining at peak", "%"}});
    for (size_t g : shown)
        ct.add({plainCapacityName(cap.group_names[g]), fixedText(100 * cap.group_peak[g], 0),
                fixedText(100 * cap.group_stance_mean[g], 0), fixedText(100 * (1 - cap.group_peak[g]), 0)});
    ct.print(out, "    ");
    if (std::any_of(shown.begin(), shown.end(), [&](size_t g) { return std::isnan(cap.group_peak[g]); }))
        out << "    (-: the group has no strength left, so there is no capacity to use)\n";
}

}  // namespace corestride
