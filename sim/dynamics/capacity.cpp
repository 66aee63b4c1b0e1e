#include "capacity.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace corestride {

namespace {

// A muscle counts as weakened below this fraction of its healthy strength x ceiling.
constexpr double kWeakenedBelow = 0.99;

const char* sideSuffix(Side s) { return s == Side::Right ? "_r" : s == Side::Left ? "_l" : ""; }

}  // namespace

std::vector<CapacityGroup> capacityGroups(const Model& model) {
    std::vector<CapacityGroup> groups;
    const int nm = static_cast<int>(model.muscles().size());
    for (size_t g = 0; g < model.groupNames().size(); ++g)
        for (Side side : {Side::Right, Side::Left, Side::Mid}) {
            CapacityGroup cg;
            for (int i = 0; i < nm; ++i) {
                const Muscle& m = model.muscles()[i];
                if (m.side == side && std::find(m.groups.begin(), m.groups.end(), static_cast<int>(g)) != m.groups.end())
                    cg.muscles.push_back(i);
            }
            if (cg.muscles.empty()) continue;
            cg.name = model.groupNames()[g] + sideSuffix(side);
            cg.side = side;
            groups.push_back(std::move(cg));
        }
    return groups;
}

const std::vector<std::string> kDefaultCapacityGroups = {"glute_med", "deep_core"};

std::vector<size_t> capacityGroupsToShow(const CapacityUse& c) {
    std::vector<size_t> shown;
    for (size_t g = 0; g < c.group_names.size(); ++g)
        if (c.group_weakened[g]) shown.push_back(g);
    if (!shown.empty()) return shown;
    for (size_t g = 0; g < c.group_names.size(); ++g)
        for (const std::string& d : kDefaultCapacityGroups)
            if (c.group_names[g] == d + "_r" || c.group_names[g] == d + "_l" || c.group_names[g] == d) shown.push_back(g);
    return shown;
}

void calcCapacityUse(const Model& model, const std::vector<double>& strength, const std::vector<double>& ceiling,
                     RunResult& r) {
    const int nm = static_cast<int>(model.muscles().size()), n = r.activation.rows();
    if ((!strength.empty() && static_cast<int>(strength.size()) != nm) ||
        (!ceiling.empty() && static_cast<int>(ceiling.size()) != nm))
        throw std::invalid_argument("calcCapacityUse: strength or ceiling size does not match the model's muscles");
    CapacityUse& c = r.capacity;
    c = CapacityUse{};
    c.muscle_strength.assign(nm, 1.0);
    if (!strength.empty()) c.muscle_strength = strength;
    c.muscle_ceiling.assign(nm, 1.0);
    if (!ceiling.empty()) c.muscle_ceiling = ceiling;
    c.muscle_peak.assign(nm, 0.0);
    c.muscle_mean.assign(nm, 0.0);
    for (int i = 0; i < nm; ++i) {
        const double ci = c.muscle_ceiling[i];
        if (!(ci > 0)) {   // no activation possible: no capacity to use
            c.muscle_peak[i] = c.muscle_mean[i] = std::numeric_limits<double>::quiet_NaN();
            continue;
        }
        for (int k = 0; k < n; ++k) {
            const double u = r.activation.at(k, i) / ci;
            c.muscle_peak[i] = std::max(c.muscle_peak[i], u);
            c.muscle_mean[i] += u / n;
        }
    }

    struct Member { int muscle; double weight; };
    std::vector<std::vector<Member>> members;
    std::vector<Side> sides;
    for (const CapacityGroup& g : capacityGroups(model)) {
        std::vector<Member> ms;
        for (int i : g.muscles) ms.push_back({i, model.muscles()[i].fmax * c.muscle_strength[i]});
        members.push_back(ms);
        sides.push_back(g.side);
        c.group_names.push_back(g.name);
    }
    const int ng = static_cast<int>(members.size());
    std::vector<bool> weak(ng);
    for (int g = 0; g < ng; ++g) {
        weak[g] = true;
        for (const Member& m : members[g])
            weak[g] = weak[g] && c.muscle_strength[m.muscle] * c.muscle_ceiling[m.muscle] < kWeakenedBelow;
    }
    c.group_weakened.assign(ng, 0);
    for (int g = 0; g < ng; ++g) {
        if (!weak[g]) continue;
        bool contained = false;   // in a weakened group of the same side with more muscles
        for (int h = 0; h < ng && !contained; ++h) {
            if (h == g || !weak[h] || sides[h] != sides[g] || members[h].size() <= members[g].size()) continue;
            contained = std::all_of(members[g].begin(), members[g].end(), [&](const Member& m) {
                return std::any_of(members[h].begin(), members[h].end(), [&](const Member& o) { return o.muscle == m.muscle; });
            });
        }
        c.group_weakened[g] = contained ? 0 : 1;
    }
    c.group_use.cols = ng;
    c.group_use.data.assign(static_cast<size_t>(n) * ng, 0.0);
    c.group_peak.assign(ng, 0.0);
    c.group_mean.assign(ng, 0.0);
    c.group_stance_mean.assign(ng, 0.0);
    for (int g = 0; g < ng; ++g) {
        double capacity = 0;
        for (const Member& m : members[g]) capacity += m.weight * c.muscle_ceiling[m.muscle];
        // Stance of the group's side: vertical ground reaction of that foot (grf_force columns
        // 1 and 4); midline groups: the whole run.
        const int grf_col = sides[g] == Side::Right ? 1 : sides[g] == Side::Left ? 4 : -1;
        int stance = 0;
        if (!(capacity > 0)) {
            // A group with no strength left (weakness 1) has no capacity to use: not a number,
            // shown as a dash, never as "0% used, 100% remaining".
            const double nan = std::numeric_limits<double>::quiet_NaN();
            for (int k = 0; k < n; ++k) c.group_use.data[static_cast<size_t>(k) * ng + g] = nan;
            c.group_peak[g] = c.group_mean[g] = c.group_stance_mean[g] = nan;
            r.metrics.push_back({"capacity_peak_" + c.group_names[g] + "_pct", nan});
            r.metrics.push_back({"capacity_stance_mean_" + c.group_names[g] + "_pct", nan});
            continue;
        }
        for (int k = 0; k < n; ++k) {
            double used = 0;
            for (const Member& m : members[g]) used += m.weight * r.activation.at(k, m.muscle);
            const double u = used / capacity;
            c.group_use.data[static_cast<size_t>(k) * ng + g] = u;
            c.group_peak[g] = std::max(c.group_peak[g], u);
            c.group_mean[g] += u / n;
            if (grf_col < 0 || (r.grf_force.rows() == n && r.grf_force.at(k, grf_col) > kContactForce)) {
                c.group_stance_mean[g] += u;
                ++stance;
            }
        }
        if (stance) c.group_stance_mean[g] /= stance;
        r.metrics.push_back({"capacity_peak_" + c.group_names[g] + "_pct", 100 * c.group_peak[g]});
        r.metrics.push_back({"capacity_stance_mean_" + c.group_names[g] + "_pct", 100 * c.group_stance_mean[g]});
    }
}

}  // namespace corestride
