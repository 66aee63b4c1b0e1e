// What one simulation produces, independent of the control law that produced it: the sampled
// tables, the per-stride lumbar metrics, the threshold checks and the run's status.
// control/cmc.cpp fills it; io/ writes it; study/ and the CLI read it.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace corestride {

// A time x columns table, row-major.
struct Table {
    int cols = 0;
    std::vector<double> data;
    int rows() const { return cols ? static_cast<int>(data.size()) / cols : 0; }
    double at(int r, int c) const { return data[static_cast<size_t>(r) * cols + c]; }
};

// One check of a finished run against a published threshold (Hicks et al. 2015; the
// OpenSim best-practice pages): passed when value <= limit.
struct QualityCheck {
    std::string name;     // e.g. "residual_force_max"
    double value = 0, limit = 0;
    std::string unit;     // of value and limit
    std::string source;   // where the limit comes from
    bool passed() const { return value <= limit; }
};

// How a run ended. Written to HDF5 (and a sweep's journal) as text(): "ok"; "finished over
// thresholds: <failed checks>"; or the error that stopped it.
class RunStatus {
public:
    enum class Kind {
        Ok,               // finished and passed every QualityCheck
        OverThresholds,   // finished, curves complete, but failed a check
        Failed            // stopped early (or never started): its numbers are not results
    };
    RunStatus() = default;   // Ok
    static RunStatus overThresholds(const std::string& failed_checks);
    static RunStatus failed(const std::string& error);
    // The status a file records, read back.
    static RunStatus fromText(const std::string& text);

    Kind kind() const { return kind_; }
    bool ok() const { return kind_ == Kind::Ok; }
    bool finished() const { return kind_ != Kind::Failed; }
    const std::string& text() const { return text_; }

private:
    RunStatus(Kind kind, std::string text) : kind_(kind), text_(std::move(text)) {}
    Kind kind_ = Kind::Ok;
    std::string text_ = "ok";
};

// Columns of RunResult::lumbar_stride_metrics, in order (kStrideMetricNames, kStrideMetricUnits).
enum class StrideMetric {
    PeakCompression, PeakCompressionBw, MeanCompression, MeanCompressionBw, PeakAnteriorShear,
    PeakPosteriorShear, PeakLateralShear, CompressionImpulse, PeakLoadingRate
};
extern const std::vector<std::string> kStrideMetricNames;
extern const std::vector<std::string> kStrideMetricUnits;
inline int column(StrideMetric m) { return static_cast<int>(m); }

// How close each muscle and each muscle group works to its limit over a run (capacity.h).
// A muscle's use is its activation over its ceiling (1, or lower under neural weakness); a
// group's use, per side, is the activation-over-ceiling of its muscles weighted by the force
// each can give (fmax x strength x ceiling): sum_i F_i s_i a_i / sum_i F_i s_i c_i. 1 = every
// muscle of the group at its ceiling; remaining capacity = 1 - use. A group with no strength
// left (fmax x strength x ceiling = 0) has NaN use.
struct CapacityUse {
    std::vector<double> muscle_strength;                // per muscle, factor on fmax (1 = healthy)
    std::vector<double> muscle_ceiling;                 // per muscle, activation ceiling (1 = healthy)
    std::vector<double> muscle_peak, muscle_mean;       // per muscle, activation / ceiling over the run
    std::vector<std::string> group_names;               // "<group>_r", "<group>_l" (or "<group>" for midline muscles)
    Table group_use;                                    // time x group, fraction of capacity
    std::vector<double> group_peak, group_mean;         // per group, over the run
    std::vector<double> group_stance_mean;              // per group, mean while its side's foot is on the ground
    // Per group: 1 when every muscle of the group on that side is weakened (strength x ceiling
    // below 0.99) and no larger such group on that side contains it: the groups a scenario
    // weakened, named as the scenario named them ("glute_med_r", not "hip_abductors_r").
    std::vector<int> group_weakened;
};

// The terms of the stride prediction's objective at one point (stride_prediction.h), per-node
// means: effort (sum w_i a_i^2), reserves (squared reserves beyond the healthy runner's,
// (N m)^2), residuals (pelvis rows, in units of the Hicks et al. 2015 thresholds), the
// healthy-stride correction -g_0^T p, the deviation penalty, and their sum.
struct PredictionCosts {
    double effort = 0, reserves = 0, residuals = 0, correction = 0, deviation = 0, objective = 0;
};

// Compensate mode: how the stride was predicted (stride_prediction.h, docs/compensation.md).
struct CompensationResult {
    bool active = false;              // the run was in compensate mode
    bool solved = false;
    std::string status;               // "solved ...", or why not
    int iterations = 0, evaluations = 0, gradient_evaluations = 0;
    PredictionCosts costs;            // at the solution
    double effort_measured = 0;       // the effort term on the measured stride, scenario's muscles
    double reserve_excess = 0;        // N m beyond the healthy runner's reserve, largest
    double wall_time = 0, evaluation_time = 0, gradient_time = 0;   // s
    int nodes = 0, harmonics = 0;
    double deviation_weight = 0;
    Table coefficients;               // model coordinate x (2 harmonics + 1): c0, a1, b1, ... (rad or m)
    Table q_measured;                 // per sample of the run, the measured stride (rad or m)
    Table form_measured;              // running form of the measured stride (rad, kFormColumns)
};

// A long run (run.duration_min > 0; study/long_run.h, docs/long_run.md): the run is split into
// epochs; each is represented by one stride simulated with the muscles' capacity at the
// epoch's start, and the fatigue model (fatigue.h) advances every muscle over the epoch under
// the activations that stride demanded. Groups are CapacityUse's (by side).
struct LongRunResult {
    bool active = false;
    double duration = 0;              // s of running
    int epochs = 0;                   // as asked; fewer rows when the run stopped
    bool completed = false;           // every epoch's stride was simulated
    std::string status;               // "completed", or "stopped at minute M: <why>"
    std::vector<double> epoch_time;   // s, start of each simulated epoch
    std::vector<std::string> group_names;
    // epoch x group, at the epoch's start. capacity: what the group can still give over what
    // it could fresh (force-weighted, 1 = fresh). effort: the stride's mean demand over that
    // remaining capacity. demand: the stride's mean demand while the group's foot is on the
    // ground, over the fresh capacity (what the group must keep giving).
    Table capacity, effort, demand;
    std::vector<double> capacity_end;   // per group, at the end of the run (or where it stopped)
    // Per group, s from the start: the first time its remaining capacity fell below its
    // demand (it could no longer meet the demand of the stride it ran); NaN: never.
    std::vector<double> run_out_time;
    std::vector<std::string> form_names;   // the stride's form_* metrics (deg)
    Table form;                       // epoch x form_names, deg
    // epoch x lumbar level (Model::lumbarLevels() order), N: mean over strides of the peaks,
    // mean compression, peak anterior shear.
    Table peak_compression, mean_compression, peak_ap_shear;
    Table muscle_capacity;            // (epoch + 1 for the end) x muscle, remaining capacity
    // Per epoch, the largest reserve actuator moment of the joints (pelvis residuals excluded),
    // N m: what the muscles could not supply.
    std::vector<double> reserve_peak;
    double fatigue_time = 0;          // s of wall time in the fatigue model
};

struct RunResult {
    RunStatus status;
    double wall_time = 0;             // s
    std::vector<double> time;         // s, one row per control interval
    Table q, q_ref;                   // rad or m, per model coordinate
    Table qd, qdd;                    // their rates and accelerations (forward dynamics), per second
    Table activation, excitation, muscle_force;   // per muscle; force in N
    Table reserves;                   // N m (N for translations), per model coordinate (pelvis: residual generalized forces)
    // N m (N for translations), per model coordinate: the generalized force that the muscles and
    // the reserve (residual) actuators supply, i.e. the net joint moment of the simulated motion
    // without the passive lumbar disc-and-ligament moments.
    Table joint_moments;
    Table residual_force, residual_moment;  // N and N m, ground frame, moment about the pelvis origin
    Table grf_force, grf_cop, grf_moment;   // per foot: 6 (r xyz, l xyz), 6, 2 (free moments about Y)
    // Joint loads (lumbar_loads.h), per lumbar level in Model::lumbarLevels() order: force
    // (compression, ap_shear, lateral_shear; N), moment and its passive, reserve and coupling
    // shares (N m, disc frame); hip contact forces (r xyz, l xyz; N, pelvis frame).
    std::vector<Table> lumbar_force, lumbar_moment, lumbar_passive, lumbar_reserve, lumbar_coupling;
    Table hip_force;
    // Per stride and level, one column per StrideMetric.
    std::vector<Table> lumbar_stride_metrics;
    std::vector<std::pair<double, double>> strides;   // start and end time of each stride, s
    // Residual and tracking checks (filled when the run finished; see QualityCheck).
    std::vector<QualityCheck> checks;
    // Summary numbers (name, value) written with the run and printed by the CLI.
    std::vector<std::pair<std::string, double>> metrics;
    CapacityUse capacity;             // filled when the run finished
    Table form;                       // running form per sample, rad (form.h, kFormColumns)
    CompensationResult compensation;  // compensate mode
    LongRunResult long_run;           // run.duration_min > 0 (the tables above are the first epoch's)
    int qp_solves = 0, qp_failures = 0, integrator_steps = 0;
    double control_time = 0;          // s of wall time spent in the control law (moment arms, QP)
    int control_intervals = 0;
};

// Per-stride lumbar metrics of one level (rows: r.strides; columns: StrideMetric) from its
// force table (compression, ap_shear, lateral_shear; N) and the body weight `bw` (N).
Table strideMetrics(const RunResult& r, const Table& force, double bw);

// Mean over strides of one column of a stride-metrics table (0 without strides).
double strideMean(const Table& metrics, StrideMetric m);

// A foot is in contact while its vertical ground reaction exceeds this (N): strides of user
// motions start at right-foot contact, and the analysis shades stance with the same threshold.
constexpr double kContactForce = 20.0;

}  // namespace corestride
