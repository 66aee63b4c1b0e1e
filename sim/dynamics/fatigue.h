// Muscle fatigue over minutes: the three-compartment controller model (3CC) of Xia & Frey Law
// 2008 (J Biomech 41:3046) with the intermittent-task rest multiplier of Looft, Herkert &
// Frey-Law 2018 (J Biomech 77:16). Each muscle's motor units are split into active (MA),
// resting (MR) and fatigued (MF) fractions that always sum to 1. A controller C drives MA
// toward the target load TL (a fraction of the fresh maximum), drawing on MR:
//
//   dMA/dt = C - F MA        dMR/dt = -C + R* MF        dMF/dt = F MA - R* MF
//   C = L_D (TL - MA)   if MA < TL and MR > TL - MA     (recruit)
//     = L_D MR          if MA < TL and MR <= TL - MA    (recruit what is left)
//     = L_R (TL - MA)   if MA >= TL                     (relax)
//   R* = r R while the muscle rests (TL <= rest_load), else R
//
// The remaining capacity MA + MR = 1 - MF is the fraction of the fresh maximal force the
// muscle can still give. F and R are per body region (Frey-Law, Looft & Heitsman 2012,
// J Biomech 45:1803); models/fatigue.params holds every value with its source and status, and
// which region each muscle group belongs to. docs/long_run.md describes how a run uses it.
// Pure functions: no printing, no state.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "run_result.h"

namespace corestride {

class Model;

struct FatigueRegion {
    std::string name;                 // "ankle", "knee", "trunk", "general", ...
    double fatigue = 0;               // F, 1/s
    double recovery = 0;              // R, 1/s
};

struct FatigueParams {
    double gain_develop = 0;          // L_D, 1/s
    double gain_relax = 0;            // L_R, 1/s
    double rest_multiplier = 1;       // r (1: the original model of Xia & Frey Law 2008)
    double rest_load = 0;             // TL at or below which a muscle rests, fraction of MVC
    // Running fatigues a muscle more slowly than the sustained isometric contractions F was
    // fitted to: advanceFatigue() uses F x this factor (calibrated, models/fatigue.params).
    double running_fatigue_factor = 1;
    std::vector<FatigueRegion> regions;
    // Muscle group -> index into regions, in file order: a muscle takes the region of the
    // first of its groups listed.
    std::vector<std::pair<std::string, int>> group_regions;
    int regionIndex(const std::string& name) const;   // -1 if unknown
};

// Reads `path` (records `param`, `region`, `group`; see models/fatigue.params). Throws
// UserError naming the file, line and field for unknown records, bad values and missing
// parameters.
FatigueParams readFatigueParams(const std::string& path);
std::string defaultFatigueParamsPath();   // models/fatigue.params

// One muscle's compartments (fractions of its motor units).
struct FatigueState {
    double active = 0, resting = 1, fatigued = 0;
    double capacity() const { return active + resting; }   // remaining, fraction of fresh
};

// dMA/dt, dMR/dt, dMF/dt at `s` under target load `target` (fraction of MVC).
void fatigueRates(const FatigueState& s, double target, const FatigueRegion& region, const FatigueParams& p,
                  double rates[3]);

// Advances `s` by `dt` s under a constant target (one forward-Euler step; the step must be
// well below 1 / L_D for accuracy, kFatigueStep).
void stepFatigue(FatigueState& s, double target, const FatigueRegion& region, const FatigueParams& p, double dt);

// The integration step used for runs (s): 20x below 1 / L_D = 0.1 s.
constexpr double kFatigueStep = 0.005;

// Closed forms for a sustained target TL from fresh (MA held at TL while MR lasts; the
// controller's approach to TL, about 1 / L_D, is neglected):
// the endurance time, when MR is used up and MA can no longer hold TL,
//   ET = -ln(1 - R (1 - TL) / (F TL)) / R   (infinite when TL <= R / (F + R));
double sustainedEnduranceTime(double target, const FatigueRegion& region);
// and the steady state the compartments approach: MA = TL, MF = F TL / R when
// TL <= R / (F + R); else MR = F MA / L_D, MF = F MA / R, MA = 1 / (1 + F / R + F / L_D).
FatigueState steadyState(double target, const FatigueRegion& region, const FatigueParams& p);

// Per muscle of the model, its index into p.regions. Throws UserError naming the muscle and
// `params_file` when none of a muscle's groups has a region.
std::vector<int> muscleRegions(const Model& model, const FatigueParams& p, const std::string& params_file);

// Advances every muscle's state over `duration` s of running in which the stride `activation`
// (time x muscle, rows `dt` apart, covering one period of the motion) repeats; the target
// load of muscle m is its activation and its fatigue rate is F x p.running_fatigue_factor. `on_period` (may be empty) is called after every whole
// period with the time since the start, so that the caller can watch the capacities.
void advanceFatigue(std::vector<FatigueState>& state, const std::vector<int>& region, const FatigueParams& p,
                    const Table& activation, double dt, double duration,
                    const std::function<void(double, const std::vector<FatigueState>&)>& on_period = {});

}  // namespace corestride
