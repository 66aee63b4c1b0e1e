// Computed muscle control (Thelen & Anderson 2006, J Biomech 39:1107): every control interval,
// desired accelerations from PD tracking of the reference, a static-optimisation quadratic
// program for the muscle activations (equations of motion with the ground reactions as the
// equality rows; activations in [0, 1]; bounded, heavily penalised reserve actuators on every
// coordinate and residual actuators on the pelvis), excitations from the activations through
// the activation dynamics, then error-controlled forward integration in Simbody.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model.h"
#include "reference_motion.h"
#include "run_result.h"

namespace corestride {

// Strict: track the reference; reserves take what the muscles cannot. Compensate: the stride is
// first predicted for the scenario's muscles (stride_prediction.h), then tracked as in Strict
// mode. Static: no forward simulation; at every sample of the reference, the static
// optimisation of the same criterion and balance rows for the reference's own accelerations,
// with activations anywhere in [0, ceiling] (no activation dynamics) and every tendon rigid,
// as OpenSim's Static Optimization tool does (a cross-check of CMC: docs/simulation.md,
// "Static optimisation"). (An `adaptive` mode with tiny reserves, where the motion drifted,
// was retired: it failed on the weakness presets.)
enum class ControlMode { Strict, Compensate, Static };
enum class ActivationCost { Squared, Volume, Cubed };

struct CmcOptions {
    ControlMode mode = ControlMode::Strict;
    ActivationCost cost = ActivationCost::Squared;
    // Lumbar balance of the static optimisation. true: the muscles (and per-level reserves)
    // balance each lumbar level's own three generalized forces, as multi-joint trunk models do
    // (Gagnon et al. 2011, J Biomech, doi 10.1016/j.jbiomech.2011.03.002); the coupling
    // constraint then carries almost nothing. false: only the three coupled lumbar coordinates
    // are balanced and the coupling constraint carries each level's remainder
    // (docs/lumbar_audit.md, finding 4).
    bool balance_levels = true;
    double interval = 0.0025;         // s (docs/simulation.md: end-of-interval targets need it)
    double kp = 6400;                 // 1/s^2
    double kv = 160;                  // 1/s (critical damping: 2 sqrt(kp))
    double reserve_optimal = 1;       // N m per unit reserve control
    // Optimal torque of single coordinates' reserves (N m), overriding reserve_optimal there
    // (scenario keys control.reserve_optimal.<coordinate>): the price of one joint's reserve, a
    // sensitivity tool (docs/simulation.md, "Reserves"). Pelvis coordinates have residuals, not
    // reserves, and are refused.
    std::map<std::string, double> reserve_optimal_coordinate;
    double reserve_max = 1000;        // N m (strict)
    double residual_optimal = 1;      // N or N m per unit residual control
    double residual_max = 1e6;        // N or N m (effectively unbounded: reported, never limiting)
    double accuracy = 1e-4;           // integrator relative accuracy
    // Simulated time before the first recorded sample, so that the recorded motion begins with
    // the activations and tendon states of running instead of a static optimisation's
    // (docs/simulation.md, "Start-up transient"). A periodic reference (a stride) is simulated
    // from this much before its start; another one within its lead-in (leadIn(): file data
    // before the window), at most that long; standing has none. Whole control intervals
    // (rounded for a stride, rounded down within a lead-in). Records start at
    // startTime() + leadIn() whatever the warm-up; the run's metric warm_up_s says what was simulated.
    double warm_up = 0;               // s
    // Integrator steps allowed in one control interval (a healthy interval takes 1-4): more
    // ends the run with status "integration stalled at t = ...", so that stiff or diverging
    // dynamics cannot hang a run (a retired mode with tiny reserves once spent 10 minutes in one stepTo).
    int max_steps_per_interval = 5000;
    // Plan the activations of the whole run first (activation_plan.h; docs/simulation.md,
    // "Activation plan"): a first CMC pass gives every interval's static-optimisation rows, one
    // optimisation over nodes every plan_stride intervals with the deactivation between them
    // gives the plan, and a second pass tracks it (each interval's least weighted deviation from
    // the plan's activations that still meets the interval's rows). Without it each interval is
    // optimised alone and muscles saturated at push-off linger into flight (docs/lumbar_audit.md,
    // finding 7).
    // Measured on the built-in stride (finding 7): it does not remove the flight-phase
    // co-contraction; it raises it. A check of the controller, off by default.
    bool plan = false;
    int plan_stride = 4;              // control intervals per plan node (4 x 2.5 ms = 10 ms)
    std::vector<double> strength;     // per muscle factor on fmax (empty: all 1)
    std::vector<double> max_activation;  // per muscle ceiling on activation (empty: all 1)
    std::vector<double> length_scale;    // per muscle factor on lopt and lts (empty: all 1)
    std::function<void(double)> progress;  // called with the fraction done (may be empty)
};

// Each coordinate's reserve optimal torque (N m): reserve_optimal, or its entry in
// reserve_optimal_coordinate. UserError naming the key for a coordinate the model does not have,
// one of the pelvis's or a torque that is not positive (pelvis entries of the result are unused).
std::vector<double> reserveOptimal(const Model& model, const CmcOptions& options);

// Runs one tracking simulation of `reference` from its start to its end time.
RunResult runCmc(const Model& model, const ReferenceMotion& reference, const CmcOptions& options);

}  // namespace corestride
