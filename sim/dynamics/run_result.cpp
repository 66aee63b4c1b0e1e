#include "run_result.h"

#include <algorithm>
#include <cmath>

namespace corestride {

namespace {
const std::string kOverThresholds = "finished over thresholds: ";
}

RunStatus RunStatus::overThresholds(const std::string& failed_checks) {
    return RunStatus(Kind::OverThresholds, kOverThresholds + failed_checks);
}

RunStatus RunStatus::failed(const std::string& error) { return RunStatus(Kind::Failed, error); }

RunStatus RunStatus::fromText(const std::string& text) {
    if (text == "ok") return RunStatus();
    if (text.rfind(kOverThresholds, 0) == 0) return RunStatus(Kind::OverThresholds, text);
    return RunStatus(Kind::Failed, text);
}

const std::vector<std::string> kStrideMetricNames = {
    "peak_compression", "peak_compression_bw", "mean_compression", "mean_compression_bw", "peak_anterior_shear",
    "peak_posterior_shear", "peak_lateral_shear", "compression_impulse", "peak_loading_rate"};
const std::vector<std::string> kStrideMetricUnits = {"N", "BW", "N", "BW", "N", "N", "N", "BW s", "BW/s"};

Table strideMetrics(const RunResult& r, const Table& force, double bw) {
    Table t;
    t.cols = static_cast<int>(kStrideMetricNames.size());
    for (const auto& [t0, t1] : r.strides) {
        double peak_c = -1e300, mean_c = 0, peak_ant = -1e300, peak_post = 1e300, peak_lat = 0, impulse = 0, rate = -1e300;
        int count = 0;
        for (size_t k = 0; k < r.time.size(); ++k) {
            if (r.time[k] < t0 - 1e-9 || r.time[k] > t1 + 1e-9) continue;
            const double c = force.at(static_cast<int>(k), 0);
            peak_c = std::max(peak_c, c);
            mean_c += c;
            ++count;
            peak_ant = std::max(peak_ant, force.at(static_cast<int>(k), 1));
            peak_post = std::min(peak_post, force.at(static_cast<int>(k), 1));
            peak_lat = std::max(peak_lat, std::abs(force.at(static_cast<int>(k), 2)));
            if (k + 1 < r.time.size() && r.time[k + 1] <= t1 + 1e-9) {
                const double dt = r.time[k + 1] - r.time[k], c1 = force.at(static_cast<int>(k) + 1, 0);
                impulse += 0.5 * (c + c1) * dt;
                rate = std::max(rate, (c1 - c) / dt);
            }
        }
        // In StrideMetric order.
        const double row[] = {peak_c, peak_c / bw, mean_c / std::max(count, 1), mean_c / std::max(count, 1) / bw,
                              peak_ant, peak_post, peak_lat, impulse / bw, rate / bw};
        t.data.insert(t.data.end(), row, row + t.cols);
    }
    return t;
}

double strideMean(const Table& metrics, StrideMetric m) {
    double sum = 0;
    for (int r = 0; r < metrics.rows(); ++r) sum += metrics.at(r, column(m)) / metrics.rows();
    return sum;
}

}  // namespace corestride
