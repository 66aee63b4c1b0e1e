#include "long_run.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>

#include "capacity.h"
#include "error.h"

namespace corestride {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Metrics of the last stride that a long run repeats as late_<name>: the loads, the form and
// the capacity use, not the tracking and solver diagnostics.
bool isLateMetric(const std::string& name) {
    for (const char* skip : {"tracking_", "actuator_", "residual_", "compensation_", "peak_external", "com_height"})
        if (name.rfind(skip, 0) == 0) return false;
    return true;
}

std::string minutes(double t) {
    std::ostringstream s;
    s.precision(3);
    s << t / 60;
    return s.str();
}

// Per group: sum over its muscles of w_i x[i] (w_i = fmax x strength).
std::vector<double> groupSums(const std::vector<CapacityGroup>& groups, const std::vector<double>& weight,
                              const std::vector<double>& x) {
    std::vector<double> sum(groups.size(), 0.0);
    for (size_t g = 0; g < groups.size(); ++g)
        for (int i : groups[g].muscles) sum[g] += weight[i] * x[i];
    return sum;
}

}  // namespace

FatigueParams longRunFatigueParams(const Settings& s) {
    FatigueParams p = readFatigueParams(defaultFatigueParamsPath());
    if (!s.run.rest_recovery) p.rest_multiplier = 1;
    return p;
}

RunResult simulateLongRun(const Model& model, std::shared_ptr<const ReferenceMotion> reference, const CmcOptions& opt,
                          const Settings& s, std::shared_ptr<const ReferenceMotion>* tracked) {
    if (!(s.run.duration_s > 0) || s.run.epochs < 1)
        throw std::invalid_argument("simulateLongRun: needs a positive duration and at least one epoch");
    const FatigueParams fp = longRunFatigueParams(s);
    const std::vector<int> region = muscleRegions(model, fp, defaultFatigueParamsPath());
    const int nm = static_cast<int>(model.muscles().size()), epochs = s.run.epochs;
    const double duration = s.run.duration_s, epoch_length = duration / epochs;

    std::vector<double> ceiling0 = opt.max_activation, weight(nm);
    ceiling0.resize(nm, 1.0);
    for (int i = 0; i < nm; ++i)
        weight[i] = model.muscles()[i].fmax * (opt.strength.empty() ? 1.0 : opt.strength[i]);
    const std::vector<CapacityGroup> groups = capacityGroups(model);
    const int ng = static_cast<int>(groups.size());
    const std::vector<double> fresh = groupSums(groups, weight, ceiling0);

    std::vector<FatigueState> state(nm);
    auto ceilings = [&]() {
        std::vector<double> c(nm);
        for (int i = 0; i < nm; ++i) c[i] = std::min(ceiling0[i], state[i].capacity());
        return c;
    };
    auto groupCapacity = [&](const std::vector<double>& c) {
        std::vector<double> cap = groupSums(groups, weight, c);
        for (int g = 0; g < ng; ++g) cap[g] = fresh[g] > 0 ? cap[g] / fresh[g] : kNaN;
        return cap;
    };

    LongRunResult L;
    L.active = true;
    L.duration = duration;
    L.epochs = epochs;
    for (const CapacityGroup& g : groups) L.group_names.push_back(g.name);
    L.capacity.cols = L.effort.cols = L.demand.cols = ng;
    L.run_out_time.assign(ng, kNaN);
    L.muscle_capacity.cols = nm;
    const int nl = static_cast<int>(model.lumbarLevels().size());
    L.peak_compression.cols = L.mean_compression.cols = L.peak_ap_shear.cols = nl;

    RunResult first;
    RunResult last;
    L.completed = true;
    for (int k = 0; k <= epochs; ++k) {
        const double t0 = k * epoch_length;
        CmcOptions o = opt;
        const std::vector<double> c = ceilings();
        if (k > 0) o.max_activation = c;   // the first stride is the fresh runner's, as given
        if (opt.progress) o.progress = [&, k](double f) { opt.progress((k + f) / (epochs + 1)); };
        std::shared_ptr<const ReferenceMotion> tr;
        RunResult rk = simulateStride(model, reference, o, s, k == 0 ? &tr : nullptr);
        if (k == 0 && tracked) *tracked = tr;
        if (!rk.status.finished()) {
            L.completed = false;
            L.status = "stopped at minute " + minutes(t0) + ": the stride could not be simulated (" + rk.status.text() + ")";
            if (k == 0) first = std::move(rk);
            break;
        }
        // The epoch's row.
        L.epoch_time.push_back(t0);
        const std::vector<double> cap = groupCapacity(c);
        L.capacity.data.insert(L.capacity.data.end(), cap.begin(), cap.end());
        if (static_cast<int>(rk.capacity.group_names.size()) != ng)
            throw std::logic_error("simulateLongRun: capacity groups differ from the run's");
        std::vector<double> demand(ng);
        for (int g = 0; g < ng; ++g) demand[g] = rk.capacity.group_stance_mean[g] * cap[g];
        L.effort.data.insert(L.effort.data.end(), rk.capacity.group_mean.begin(), rk.capacity.group_mean.end());
        L.demand.data.insert(L.demand.data.end(), demand.begin(), demand.end());
        for (int i = 0; i < nm; ++i) L.muscle_capacity.data.push_back(state[i].capacity());
        if (L.form_names.empty())
            for (const auto& [name, value] : rk.metrics)
                if (name.rfind("form_", 0) == 0 && name.rfind("form_change_", 0) != 0) L.form_names.push_back(name);
        L.form.cols = static_cast<int>(L.form_names.size());
        for (const std::string& name : L.form_names) {
            double v = kNaN;
            for (const auto& [n, value] : rk.metrics)
                if (n == name) v = value;
            L.form.data.push_back(v);
        }
        for (int l = 0; l < nl; ++l) {
            const bool has = l < static_cast<int>(rk.lumbar_stride_metrics.size());
            const Table& m = has ? rk.lumbar_stride_metrics[l] : Table{};
            L.peak_compression.data.push_back(has ? strideMean(m, StrideMetric::PeakCompression) : kNaN);
            L.mean_compression.data.push_back(has ? strideMean(m, StrideMetric::MeanCompression) : kNaN);
            L.peak_ap_shear.data.push_back(has ? strideMean(m, StrideMetric::PeakAnteriorShear) : kNaN);
        }
        double reserve = 0;
        for (const auto& [n, value] : rk.metrics)
            if (n.rfind("actuator_max_", 0) == 0 && n.rfind("actuator_max_pelvis_", 0) != 0) reserve = std::max(reserve, value);
        L.reserve_peak.push_back(reserve);
        // The fatigue of the epoch, under this stride's activations.
        if (k < epochs) {
            const auto start = std::chrono::steady_clock::now();
            const double dt = rk.time.size() > 1 ? (rk.time.back() - rk.time.front()) / (rk.time.size() - 1) : 0;
            advanceFatigue(state, region, fp, rk.activation, dt, epoch_length,
                           [&](double t, const std::vector<FatigueState>&) {
                               const std::vector<double> now = groupCapacity(ceilings());
                               for (int g = 0; g < ng; ++g)
                                   if (std::isnan(L.run_out_time[g]) && now[g] < demand[g]) L.run_out_time[g] = t0 + t;
                           });
            L.fatigue_time += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        }
        if (k == 0) first = rk;
        if (k == epochs) last = std::move(rk);
    }
    L.capacity_end = groupCapacity(ceilings());
    for (int i = 0; i < nm; ++i) L.muscle_capacity.data.push_back(state[i].capacity());
    if (L.completed) L.status = "completed " + minutes(duration) + " min";

    if (first.status.finished()) {
        for (int g = 0; g < ng; ++g) {
            first.metrics.push_back({"capacity_end_" + L.group_names[g] + "_pct", 100 * L.capacity_end[g]});
            if (!std::isnan(L.run_out_time[g]))
                first.metrics.push_back({"run_out_min_" + L.group_names[g], L.run_out_time[g] / 60});
        }
        int out = 0;
        for (double t : L.run_out_time) out += !std::isnan(t);
        first.metrics.push_back({"long_run_groups_out", static_cast<double>(out)});
        first.metrics.push_back({"long_run_completed", L.completed ? 1.0 : 0.0});
        if (L.completed)
            for (const auto& [name, value] : last.metrics)
                if (isLateMetric(name)) first.metrics.push_back({"late_" + name, value});
    }
    first.long_run = std::move(L);
    return first;
}

}  // namespace corestride
