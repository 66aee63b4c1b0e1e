// A scenario's values resolved once into typed fields (Scenario::settings()), SI units in the
// names where a unit applies. Everything below the scenario layer takes these structs; only
// the scenario layer itself (scenario.cpp, settings.cpp, scenario_words.cpp) and the sweep's
// key substitution handle keys by name. The key table (scenarioKeys(), the source of
// `run --help`) gives each field's range and meaning.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cmc.h"

namespace corestride {

class Scenario;

enum class MotionSource { Builtin, Files, Standing };

struct Settings {
    struct Run {
        std::string name;                  // run.name: the run's HDF5 group
        double duration_s = 0;             // run.duration_min: a long run when > 0 (long_run.h)
        int epochs = 6;                    // run.epochs
        bool rest_recovery = true;         // fatigue.rest_recovery
    } run;
    struct Subject {
        double mass_kg = 0, height_m = 0;
        double thigh_scale = 1, shank_scale = 1;   // subject.thigh_scale, subject.shank_scale
    } subject;
    struct ModelFile {
        std::string file;                  // model.file as given; "" = the built-in model
        TendonModel tendon = TendonModel::TricepsSurae;   // model.tendon
    } model;
    struct Running {
        double speed_m_per_s = 0;
        bool symmetric = true;             // running.stride = symmetric
        int strides = 1;
    } running;
    struct Motion {
        MotionSource source = MotionSource::Builtin;
        std::string kinematics, grf;       // files (source = files)
        double t_start_s = 0, t_end_s = 0; // window; t_end 0 = end of data (standing: 1 s)
        double belt_speed_m_per_s = 0;
        std::string grf_right, grf_left;   // column prefixes of the feet in the GRF file
        double lowpass_hz = 0;             // 0 = GCV splines
        bool residual_reduction = true;
    } motion;
    struct Control {
        ControlMode mode = ControlMode::Strict;
        ActivationCost cost = ActivationCost::Squared;
        bool balance_levels = true;        // control.lumbar_balance = levels
        bool plan = false;                 // control.plan = run
        double interval_s = 0;
        double warm_up_s = 0;              // periodic motions only (CmcOptions::warm_up)
        double kp_per_s2 = 0, kv_per_s = 0;
        double reserve_optimal_Nm = 0, reserve_max_Nm = 0;
        std::map<std::string, double> reserve_optimal_coordinate_Nm;   // control.reserve_optimal.<coordinate>
        double residual_optimal = 0;       // N or N m
    } control;
    struct Compensation {                  // control.mode = compensate (stride_prediction.h)
        double deviation_weight = 1;
        int nodes = 24, harmonics = 3;
        double reserve_max_Nm = 25;
        int max_iterations = 100;
    } compensation;
    struct Integrator {
        double accuracy = 0;               // relative
    } integrator;
    struct Weakness {
        double glute_med = 0, glute_med_r = 0, glute_med_l = 0, deep_core = 0;   // strength loss, fraction
        bool neural = false;               // lowers the activation ceiling instead of fmax
        std::map<std::string, double> groups, muscles;   // weakness.group.<name>, weakness.muscle.<name>
    } weakness;
    struct Tightness {
        double hip_flexors = 0;            // 0-1
    } tightness;
    struct Training {
        double weeks = 0, sessions_per_week = 0;
        bool all_exercises = true;         // training.program = all
        std::vector<std::string> program;  // else the named exercises, in the order given
        bool apply = false;                // run and sweep simulate the trained runner
    } training;
};

// The settings of a resolved scenario (every key has a value that passed checkValue).
// Called by the Scenario when it is built.
Settings makeSettings(const Scenario& scenario);

// The table keys makeSettings() reads, to check in tests that every key reaches a field.
std::vector<std::string> settingsKeys();

// CMC options from the control and integrator settings (no muscle condition).
CmcOptions cmcOptions(const Settings& settings);

}  // namespace corestride
