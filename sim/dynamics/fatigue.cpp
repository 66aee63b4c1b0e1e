#include "fatigue.h"

#include <cmath>
#include <iterator>
#include <limits>
#include <sstream>

#include "error.h"
#include "input_file.h"
#include "model.h"
#include "paths.h"
#include "record_reader.h"

namespace corestride {
namespace {

struct ParamSpec {
    const char* name;
    double FatigueParams::*member;
    double lo, hi;
};

const ParamSpec kParams[] = {
    {"controller_gain_develop_per_s", &FatigueParams::gain_develop, 0.1, 1000},
    {"controller_gain_relax_per_s", &FatigueParams::gain_relax, 0.1, 1000},
    {"rest_recovery_multiplier", &FatigueParams::rest_multiplier, 1, 1000},
    {"rest_load", &FatigueParams::rest_load, 0, 0.5},
    {"running_fatigue_factor", &FatigueParams::running_fatigue_factor, 1e-3, 1},
};

}  // namespace

int FatigueParams::regionIndex(const std::string& name) const {
    for (size_t i = 0; i < regions.size(); ++i)
        if (regions[i].name == name) return static_cast<int>(i);
    return -1;
}

FatigueParams readFatigueParams(const std::string& path) {
    std::istringstream in(readInputFile(path, "fatigue parameter file"));
    FatigueParams p;
    std::vector<int> line_of(std::size(kParams), 0);
    std::vector<std::string> names;
    for (const ParamSpec& s : kParams) names.push_back(s.name);
    forEachRecord(in, path, [&](Record& r) {
        if (r.name.empty()) r.fail("name", "'" + r.keyword + "' record needs a name");
        if (r.keyword == "param") {
            const size_t k = r.parameterSlot(names, line_of);
            p.*kParams[k].member = r.bounded("value", kParams[k].lo, kParams[k].hi, "");
            r.requireProvenance();
        } else if (r.keyword == "region") {
            if (p.regionIndex(r.name) >= 0) r.fail("name", "region '" + r.name + "' given twice");
            FatigueRegion g;
            g.name = r.name;
            g.fatigue = r.bounded("fatigue_per_s", 1e-6, 1, "1/s");
            g.recovery = r.bounded("recovery_per_s", 1e-7, 1, "1/s");
            r.requireProvenance();
            p.regions.push_back(g);
        } else if (r.keyword == "group") {
            for (const auto& [name, region] : p.group_regions)
                if (name == r.name) r.fail("name", "group '" + r.name + "' given twice");
            const std::string& region = r.raw("region");
            const int k = p.regionIndex(region);
            if (k < 0) r.fail("region", "unknown region '" + region + "' (define it with a 'region' record above)");
            p.group_regions.push_back({r.name, k});
        } else {
            r.fail("", "unknown record '" + r.keyword + "' (param, region, group)");
        }
    });
    for (size_t k = 0; k < std::size(kParams); ++k)
        if (!line_of[k]) throw UserError(path + ": missing parameter '" + kParams[k].name + "'");
    if (p.regions.empty()) throw UserError(path + ": no 'region' record");
    return p;
}

std::string defaultFatigueParamsPath() { return modelsDir() + "/fatigue.params"; }

void fatigueRates(const FatigueState& s, double target, const FatigueRegion& g, const FatigueParams& p,
                  double rates[3]) {
    double c;
    if (s.active < target)
        c = s.resting > target - s.active ? p.gain_develop * (target - s.active) : p.gain_develop * s.resting;
    else
        c = p.gain_relax * (target - s.active);
    const double recovery = target <= p.rest_load ? p.rest_multiplier * g.recovery : g.recovery;
    const double to_fatigued = g.fatigue * s.active, to_resting = recovery * s.fatigued;
    rates[0] = c - to_fatigued;
    rates[1] = -c + to_resting;
    rates[2] = to_fatigued - to_resting;
}

void stepFatigue(FatigueState& s, double target, const FatigueRegion& g, const FatigueParams& p, double dt) {
    double d[3];
    fatigueRates(s, target, g, p, d);
    s.active += dt * d[0];
    s.resting += dt * d[1];
    s.fatigued += dt * d[2];
}

double sustainedEnduranceTime(double target, const FatigueRegion& g) {
    const double x = 1 - g.recovery * (1 - target) / (g.fatigue * target);
    return x > 0 ? -std::log(x) / g.recovery : std::numeric_limits<double>::infinity();
}

FatigueState steadyState(double target, const FatigueRegion& g, const FatigueParams& p) {
    FatigueState s;
    if (target <= g.recovery / (g.fatigue + g.recovery)) {
        s.active = target;
        s.fatigued = g.fatigue * target / g.recovery;
        s.resting = 1 - s.active - s.fatigued;
        return s;
    }
    s.active = 1 / (1 + g.fatigue / g.recovery + g.fatigue / p.gain_develop);
    s.fatigued = g.fatigue * s.active / g.recovery;
    s.resting = g.fatigue * s.active / p.gain_develop;
    return s;
}

std::vector<int> muscleRegions(const Model& model, const FatigueParams& p, const std::string& params_file) {
    std::vector<int> region;
    for (const Muscle& m : model.muscles()) {
        int k = -1;
        for (const auto& [group, r] : p.group_regions) {
            const int gi = model.groupIndex(group);
            for (int mg : m.groups)
                if (mg == gi && k < 0) k = r;
        }
        if (k < 0) {
            std::string groups;
            for (int mg : m.groups) groups += (groups.empty() ? "" : ", ") + model.groupNames()[mg];
            throw UserError(params_file + ": muscle '" + m.name + "' (groups " + (groups.empty() ? "none" : groups) +
                            ") has no fatigue region: add a 'group <name> region=<region>' record for one of its groups");
        }
        region.push_back(k);
    }
    return region;
}

void advanceFatigue(std::vector<FatigueState>& state, const std::vector<int>& region, const FatigueParams& p,
                    const Table& activation, double dt, double duration,
                    const std::function<void(double, const std::vector<FatigueState>&)>& on_period) {
    const int rows = activation.rows(), nm = activation.cols;
    if (rows == 0 || nm != static_cast<int>(state.size()) || region.size() != state.size() || !(dt > 0))
        throw std::invalid_argument("advanceFatigue: activation table does not match the muscles");
    // Sub-steps per activation sample so that every step is at most kFatigueStep.
    const int sub = std::max(1, static_cast<int>(std::ceil(dt / kFatigueStep - 1e-9)));
    const double h = dt / sub;
    const double period = rows * dt;
    const long periods = static_cast<long>(std::floor(duration / period));
    const double rest = duration - periods * period;
    auto run = [&](int nrows) {
        for (int m = 0; m < nm; ++m) {
            FatigueState s = state[m];
            FatigueRegion g = p.regions[region[m]];
            g.fatigue *= p.running_fatigue_factor;
            for (int k = 0; k < nrows; ++k) {
                const double target = activation.at(k, m);
                for (int j = 0; j < sub; ++j) stepFatigue(s, target, g, p, h);
            }
            state[m] = s;
        }
    };
    for (long k = 0; k < periods; ++k) {
        run(rows);
        if (on_period) on_period((k + 1) * period, state);
    }
    const int last = static_cast<int>(std::floor(rest / dt + 0.5));
    if (last > 0) run(std::min(last, rows));
}

}  // namespace corestride
