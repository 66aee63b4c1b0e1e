#include "training.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "error.h"
#include "exercise.h"
#include "model.h"
#include "record_reader.h"
#include "paths.h"
#include "input_file.h"

namespace corestride {
namespace {

// One parameter of the file: its name, where it goes, the factor from file to SI units and
// its valid range (inclusive).
struct ParamSpec {
    const char* name;
    double TrainingParams::*member;
    double scale;
    double lo, hi;
};

const ParamSpec kParams[] = {
    {"intensity_threshold_pct", &TrainingParams::intensity_threshold, 0.01, 0, 200},
    {"intensity_full_pct", &TrainingParams::intensity_full, 0.01, 0, 200},
    {"reference_sessions_per_week", &TrainingParams::reference_sessions, 1, 0.1, 14},
    {"frequency_exponent", &TrainingParams::frequency_exponent, 1, 0.01, 10},
    {"time_constant_weeks", &TrainingParams::time_constant_weeks, 1, 0.1, 520},
    {"headroom", &TrainingParams::headroom, 1, 0, 5},
};

std::string fmt(double x) {
    std::ostringstream s;
    s << x;
    return s.str();
}

}  // namespace

TrainingParams readTrainingParams(const std::string& path) {
    std::istringstream in(readInputFile(path, "training parameter file"));
    TrainingParams p;
    std::vector<int> line_of(std::size(kParams), 0);
    std::vector<std::string> names;
    for (const ParamSpec& s : kParams) names.push_back(s.name);
    // `param <name> value=... status=... source=...`, each name once.
    forEachRecord(in, path, [&](Record& r) {
        if (r.keyword != "param") r.fail("", "unknown record '" + r.keyword + "' (param)");
        if (r.name.empty()) r.fail("name", "'param' record needs a name");
        const size_t k = r.parameterSlot(names, line_of);
        const double v = r.scalar("value");
        if (v < kParams[k].lo || v > kParams[k].hi)
            r.fail("value", "must lie in [" + fmt(kParams[k].lo) + ", " + fmt(kParams[k].hi) + "], got " + r.raw("value"));
        p.*kParams[k].member = v * kParams[k].scale;
        r.requireProvenance();
    });
    for (size_t k = 0; k < std::size(kParams); ++k)
        if (!line_of[k]) throw UserError(path + ": missing parameter '" + kParams[k].name + "'");
    if (!(p.intensity_full > p.intensity_threshold))
        throw fileError(path, line_of[1], "value", "intensity_full_pct must exceed intensity_threshold_pct");
    return p;
}

std::string defaultTrainingParamsPath() { return modelsDir() + "/training.params"; }

void checkTrainingParams(const TrainingParams& p) {
    auto bad = [](const std::string& msg) { throw UserError("training parameters: " + msg); };
    if (!(p.intensity_threshold >= 0)) bad("intensity threshold must not be negative");
    if (!(p.intensity_full > p.intensity_threshold)) bad("full-response intensity must exceed the threshold");
    if (!(p.reference_sessions > 0)) bad("reference sessions a week must be positive");
    if (!(p.frequency_exponent > 0)) bad("frequency exponent must be positive");
    if (!(p.time_constant_weeks > 0)) bad("time constant must be positive");
    if (!(p.headroom >= 0)) bad("headroom must not be negative");
}

double calcIntensityResponse(double intensity, const TrainingParams& p) {
    const double x = (intensity - p.intensity_threshold) / (p.intensity_full - p.intensity_threshold);
    return std::clamp(x, 0.0, 1.0);
}

double calcFrequencyFactor(double sessions_per_week, const TrainingParams& p) {
    const double x = std::clamp(sessions_per_week / p.reference_sessions, 0.0, 1.0);
    return std::pow(x, p.frequency_exponent);
}

double calcTimeFactor(double weeks, const TrainingParams& p) {
    return weeks > 0 ? -std::expm1(-weeks / p.time_constant_weeks) : 0.0;
}

std::vector<double> calcProgramIntensity(const Model& model, const std::vector<const Exercise*>& program) {
    std::vector<double> intensity(model.muscles().size(), 0.0);
    for (const Exercise* e : program) {
        validateExercise(*e, model);
        // Every side of the group: the programme is symmetric (each side, every session).
        for (const ExerciseLoad& l : e->loads) {
            const int g = model.groupIndex(l.group);
            for (size_t m = 0; m < intensity.size(); ++m) {
                const std::vector<int>& groups = model.muscles()[m].groups;
                if (std::find(groups.begin(), groups.end(), g) != groups.end())
                    intensity[m] = std::max(intensity[m], l.mvc);
            }
        }
    }
    return intensity;
}

double calcTrainedStrength(double strength0, double intensity, double weeks, double sessions_per_week,
                           const TrainingParams& p) {
    // The gain closes a fraction r f T of the room left below the ceiling; none above it.
    const double cap = 1.0 + p.headroom;
    if (strength0 >= cap) return strength0;
    const double fraction = calcIntensityResponse(intensity, p) * calcFrequencyFactor(sessions_per_week, p) *
                            calcTimeFactor(weeks, p);
    return strength0 + fraction * (cap - strength0);
}

std::vector<double> trainStrength(const Model& model, const std::vector<double>& strength0,
                                  const std::vector<const Exercise*>& program, double weeks,
                                  double sessions_per_week, const TrainingParams& params) {
    checkTrainingParams(params);
    if (strength0.size() != model.muscles().size())
        throw UserError("training: " + std::to_string(strength0.size()) + " initial strengths for " +
                        std::to_string(model.muscles().size()) + " muscles");
    if (!(weeks >= 0) || !std::isfinite(weeks)) throw UserError("training: weeks must be a non-negative number, got " + fmt(weeks));
    if (!(sessions_per_week >= 0) || !std::isfinite(sessions_per_week))
        throw UserError("training: sessions a week must be a non-negative number, got " + fmt(sessions_per_week));
    const std::vector<double> intensity = calcProgramIntensity(model, program);
    std::vector<double> out(strength0.size());
    for (size_t m = 0; m < out.size(); ++m) {
        if (!(strength0[m] >= 0) || !std::isfinite(strength0[m]))
            throw UserError("training: initial strength of muscle '" + model.muscles()[m].name +
                            "' must be a non-negative number, got " + fmt(strength0[m]));
        out[m] = calcTrainedStrength(strength0[m], intensity[m], weeks, sessions_per_week, params);
    }
    return out;
}

std::vector<double> trainedStrength(const Model& model, const std::vector<double>& strength0,
                                    const Settings::Training& training) {
    const std::vector<Exercise> program = selectProgram(model, training);
    std::vector<const Exercise*> ptrs;
    for (const Exercise& e : program) ptrs.push_back(&e);
    return trainStrength(model, strength0, ptrs, training.weeks, training.sessions_per_week,
                         readTrainingParams(defaultTrainingParamsPath()));
}

}  // namespace corestride
