// Computed muscle control (Thelen & Anderson 2006, J Biomech 39:1107): every control interval,
// desired accelerations from PD tracking of the reference, a static-optimisation quadratic
// program for the muscle activations (equations of motion with the ground reactions as the
// equality rows; activations in [0, 1]; bounded, heavily penalised reserve actuators on every
// coordinate and residual actuators on the pelvis), excitations from the activations through
// the activation dynamics, then error-controlled forward integration in Simbody.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model.h"
#include "reference_motion.h"

namespace corestride {

enum class ControlMode { Strict, Adaptive };
enum class ActivationCost { Squared, Volume, Cubed };

struct CmcOptions {
    ControlMode mode = ControlMode::Strict;
    ActivationCost cost = ActivationCost::Squared;
    double interval = 0.0025;         // s (docs/simulation.md: end-of-interval targets need it)
    double kp = 6400;                 // 1/s^2
    double kv = 160;                  // 1/s (critical damping: 2 sqrt(kp))
    double reserve_optimal = 1;       // N m per unit reserve control
    double reserve_max = 1000;        // N m (strict)
    double residual_optimal = 1;      // N or N m per unit residual control
    double residual_max = 1e6;        // N or N m (effectively unbounded: reported, never limiting)
    double adaptive_reserve_max = 5;  // N m (adaptive)
    double accuracy = 1e-4;           // integrator relative accuracy
    // Integrator steps allowed in one control interval (a healthy interval takes 1-4): more
    // ends the run with status "integration stalled at t = ...", so that stiff or diverging
    // dynamics cannot hang a run (adaptive mode once spent 10 minutes in one stepTo).
    int max_steps_per_interval = 5000;
    std::vector<double> strength;     // per muscle factor on fmax (empty: all 1)
    std::vector<double> max_activation;  // per muscle ceiling on activation (empty: all 1)
    std::vector<double> length_scale;    // per muscle factor on lopt and lts (empty: all 1)
    std::function<void(double)> progress;  // called with the fraction done (may be empty)
};

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

// Status of a run that finished but failed a QualityCheck: this prefix, then the failed
// checks. A run's status is "ok" only when it finished and passed every check.
extern const std::string kOverThresholdStatus;
// True for "ok" and for a finished run over thresholds (its curves are complete).
bool runFinished(const std::string& status);

struct RunResult {
    std::string status = "ok";        // or the error that stopped the run
    double wall_time = 0;             // s
    std::vector<double> time;         // s, one row per control interval
    Table q, q_ref;                   // rad or m, per model coordinate
    Table qd, qdd;                    // their rates and accelerations (forward dynamics), per second
    Table activation, excitation, muscle_force;   // per muscle; force in N
    Table reserves;                   // N m (N for translations), per model coordinate (pelvis: residual generalized forces)
    Table slack;                      // adaptive mode: torque the controller asked for and nobody applied, per coordinate
    Table residual_force, residual_moment;  // N and N m, ground frame, moment about the pelvis origin
    Table grf_force, grf_cop, grf_moment;   // per foot: 6 (r xyz, l xyz), 6, 2 (free moments about Y)
    // Joint loads (lumbar_loads.h), per lumbar level in Model::lumbarLevels() order: force
    // (compression, ap_shear, lateral_shear; N), moment and its passive, reserve and coupling
    // shares (N m, disc frame); hip contact forces (r xyz, l xyz; N, pelvis frame).
    std::vector<Table> lumbar_force, lumbar_moment, lumbar_passive, lumbar_reserve, lumbar_coupling;
    Table hip_force;
    // Per stride and level: peak and mean compression, peak anterior and posterior shear, peak
    // lateral shear, compression impulse and peak loading rate (see kStrideMetricNames).
    std::vector<Table> lumbar_stride_metrics;
    std::vector<std::pair<double, double>> strides;   // start and end time of each stride, s
    // Residual and tracking checks (filled when the run finished; see QualityCheck).
    std::vector<QualityCheck> checks;
    // Summary numbers (name, value) written with the run and printed by the CLI.
    std::vector<std::pair<std::string, double>> metrics;
    int qp_solves = 0, qp_failures = 0, integrator_steps = 0;
    double control_time = 0;          // s of wall time spent in the control law (moment arms, QP)
    int control_intervals = 0;
};

// Column names and units of RunResult::lumbar_stride_metrics.
extern const std::vector<std::string> kStrideMetricNames;
extern const std::vector<std::string> kStrideMetricUnits;

// A foot is in contact while its vertical ground reaction exceeds this (N): strides of user
// motions start at right-foot contact, and the analysis shades stance with the same threshold.
constexpr double kContactForce = 20.0;

// Runs one tracking simulation of `reference` from its start to its end time.
RunResult runCmc(const Model& model, const ReferenceMotion& reference, const CmcOptions& options);

}  // namespace corestride
