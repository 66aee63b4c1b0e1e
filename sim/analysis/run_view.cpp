#include "run_view.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "capacity.h"
#include "scenario_words.h"
#include "stick_figure.h"
#include "validation_data.h"

namespace corestride {
namespace {

using Json = nlohmann::ordered_json;

Json number(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Json numbers(const std::vector<double>& v) {
    Json a = Json::array();
    for (double x : v) a.push_back(number(x));
    return a;
}

double metric(const RunResult& r, const std::string& name) {
    for (const auto& [n, v] : r.metrics)
        if (n == name) return v;
    return std::nan("");
}

}  // namespace

std::string runViewJson(const ScenarioRun& run, int frames) {
    const RunResult& r = run.result;
    const Model& model = *run.model;
    const double bw = run.reference->bodyWeight();
    Json j;
    j["status"] = r.status.text();
    j["ok"] = r.status.ok();
    j["finished"] = r.status.finished();
    j["wall_time_s"] = number(r.wall_time);
    j["body_weight_N"] = number(bw);
    const int n = static_cast<int>(r.time.size());
    // Gait cycle, % of the run from its first sample (one stride for the built-in motion).
    std::vector<double> cycle;
    if (n > 1)
        for (double t : r.time) cycle.push_back(100 * (t - r.time.front()) / (r.time.back() - r.time.front()));
    j["cycle_pct"] = numbers(cycle);
    Json levels = Json::array();
    for (size_t l = 0; l < model.lumbarLevels().size() && l < r.lumbar_force.size(); ++l) {
        const Table& f = r.lumbar_force[l];
        std::vector<double> c, s;
        for (int k = 0; k < f.rows(); ++k) {
            c.push_back(f.at(k, 0));
            s.push_back(f.at(k, 1));
        }
        std::string label = model.lumbarLevels()[l].joint;
        std::replace(label.begin(), label.end(), '_', '/');
        const std::string key = model.lumbarLevels()[l].joint;
        levels.push_back({{"name", label},
                          {"compression_N", numbers(c)},
                          {"ap_shear_N", numbers(s)},
                          {"peak_compression_N", number(metric(r, key + "_peak_compression_N"))},
                          {"peak_ap_shear_N", number(metric(r, key + "_peak_anterior_shear_N"))},
                          {"mean_compression_N", number(metric(r, key + "_mean_compression_N"))}});
    }
    j["levels"] = levels;
    double hip = 0;
    for (int k = 0; k < r.hip_force.rows(); ++k)
        for (int side = 0; side < 2; ++side)
            hip = std::max(hip, std::hypot(r.hip_force.at(k, 3 * side), r.hip_force.at(k, 3 * side + 1),
                                           r.hip_force.at(k, 3 * side + 2)));
    j["hip_contact_peak_N"] = number(r.hip_force.rows() ? hip : std::nan(""));
    // The in vivo bands of the validation suite (study/validation_data.h).
    j["bands"] = Json::array(
        {Json{{"what", "L4/L5 peak compression, jogging"},
              {"level", "L4/L5"},
              {"lo_N", kWilkeJogging.lo_mpa * kWilkeJogging.newton_per_mpa},
              {"hi_N", kWilkeJogging.hi_mpa * kWilkeJogging.newton_per_mpa},
              {"citation", kWilkeJogging.citation}},
         Json{{"what", "hip contact force, jogging"},
              {"lo_BW", kBergmannJogging.lo},
              {"hi_BW", kBergmannJogging.hi},
              {"citation", kBergmannJogging.citation}}});
    Json capacity = Json::array();
    const CapacityUse& cap = r.capacity;
    for (size_t g : capacityGroupsToShow(cap))
        capacity.push_back({{"name", cap.group_names[g]},
                            {"plain_name", plainCapacityName(cap.group_names[g])},
                            {"peak_pct", number(100 * cap.group_peak[g])},
                            {"stance_mean_pct", number(100 * cap.group_stance_mean[g])},
                            {"weakened", cap.group_weakened[g] != 0}});
    j["capacity"] = capacity;
    // The largest reserve over its joint's peak moment (cmc.cpp, reserve_share_<coordinate>_pct):
    // OpenSim's CMC guidance asks for under 10 %; above it the muscles fall short there.
    double share = std::nan("");
    std::string share_coord;
    const std::string pre = "reserve_share_", post = "_pct";
    for (const auto& [name, v] : r.metrics)
        if (name.size() > pre.size() + post.size() && name.rfind(pre, 0) == 0 &&
            name.compare(name.size() - post.size(), post.size(), post) == 0 && (share_coord.empty() || v > share)) {
            share = v;
            share_coord = name.substr(pre.size(), name.size() - pre.size() - post.size());
        }
    j["reserve_share"] = std::isfinite(share) ? Json{{"pct", share}, {"coordinate", share_coord}} : Json(nullptr);
    // Muscles whose passive fibre force passed their fmax (cmc.cpp, passive_force_peak_<muscle>_fmax).
    Json stretched = Json::array();
    const std::string ppre = "passive_force_peak_", ppost = "_fmax";
    for (const auto& [name, v] : r.metrics)
        if (name.size() > ppre.size() + ppost.size() && name.rfind(ppre, 0) == 0 && name != ppre + "fmax" &&
            name.compare(name.size() - ppost.size(), ppost.size(), ppost) == 0)
            stretched.push_back({{"muscle", name.substr(ppre.size(), name.size() - ppre.size() - ppost.size())},
                                 {"fmax", number(v)}});
    j["overstretched"] = stretched;
    Json form = Json::object();
    for (const auto& [name, v] : r.metrics)
        if (name.rfind("form_", 0) == 0) form[name] = number(v);
    j["form"] = form;
    j["compensation"] = r.compensation.active ? Json(r.compensation.status) : Json(nullptr);
    // The stick figure, `frames` frames over the run.
    if (n > 1 && r.q.rows() == n && !r.lumbar_force.empty()) {
        std::vector<std::string> names;
        for (const Coordinate& c : model.coordinates()) names.push_back(c.name);
        std::vector<double> q, f;
        std::vector<int> rows;
        const int count = std::max(2, std::min(frames, n));
        for (int k = 0; k < count; ++k) rows.push_back(static_cast<int>(std::lround(k * (n - 1.0) / (count - 1))));
        for (int k : rows) {
            for (int c = 0; c < r.q.cols; ++c) q.push_back(r.q.at(k, c));
            for (int c = 0; c < 3; ++c) f.push_back(r.lumbar_force[0].at(k, c));
        }
        const StickFigure s = computeStickFigure(model, names, q, f, rows.size());
        Json segs = Json::array();
        for (const auto& [a, b] : s.segments) segs.push_back({a, b});
        std::vector<double> pct;
        for (int k : rows) pct.push_back(cycle[k]);
        j["stick"] = {{"landmarks", s.landmarks}, {"segments", segs}, {"cycle_pct", numbers(pct)},
                      {"points_m", numbers(s.points)}, {"l5s1_force_N", numbers(s.l5s1_force)}};
    }
    const LongRunResult& lr = r.long_run;
    if (lr.active) {
        std::vector<double> minutes, comp, shear;
        for (size_t k = 0; k < lr.epoch_time.size(); ++k) {
            minutes.push_back(lr.epoch_time[k] / 60);
            comp.push_back(lr.peak_compression.at(static_cast<int>(k), 0));
            shear.push_back(lr.peak_ap_shear.at(static_cast<int>(k), 0));
        }
        Json groups = Json::array();
        for (size_t g : capacityGroupsToShow(cap)) {
            std::vector<double> c;
            for (int k = 0; k < lr.capacity.rows(); ++k) c.push_back(100 * lr.capacity.at(k, static_cast<int>(g)));
            groups.push_back({{"plain_name", plainCapacityName(lr.group_names[g])},
                              {"capacity_pct", numbers(c)},
                              {"capacity_end_pct", number(100 * lr.capacity_end[g])},
                              {"run_out_min", number(lr.run_out_time[g] / 60)}});
        }
        int out = 0;
        for (double t : lr.run_out_time) out += !std::isnan(t);
        j["long_run"] = {{"status", lr.status},   {"completed", lr.completed},
                         {"minutes", numbers(minutes)}, {"l5s1_peak_compression_N", numbers(comp)},
                         {"l5s1_peak_ap_shear_N", numbers(shear)}, {"groups", groups}, {"groups_out", out}};
    }
    return j.dump();
}

}  // namespace corestride
