#include "analysis.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <Eigen/Dense>

namespace corestride {

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double mean(const std::vector<double>& v) {
    if (v.empty()) return kNaN;
    double s = 0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
}

double sampleSd(const std::vector<double>& v) {
    if (v.size() < 2) return kNaN;
    const double m = mean(v);
    double s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return std::sqrt(s / static_cast<double>(v.size() - 1));
}

double interpolateAt(const std::vector<double>& time, const std::vector<double>& samples, std::size_t cols,
                     std::size_t c, double t) {
    const std::size_t n = time.size();
    if (n == 1) return samples[c];
    // First sample at or after t; clamp to the last interval.
    std::size_t k = static_cast<std::size_t>(std::lower_bound(time.begin(), time.end(), t) - time.begin());
    k = std::clamp<std::size_t>(k, 1, n - 1);
    const double t0 = time[k - 1], t1 = time[k];
    const double w = (t - t0) / (t1 - t0);
    return (1 - w) * samples[(k - 1) * cols + c] + w * samples[k * cols + c];
}

std::vector<std::pair<double, double>> usableStrides(const std::vector<double>& time,
                                                     const std::vector<std::pair<double, double>>& strides) {
    std::vector<std::pair<double, double>> out;
    if (time.empty()) return out;
    for (const auto& s : strides)
        if (s.second > s.first && s.first >= time.front() - 1e-9 && s.second <= time.back() + 1e-9) out.push_back(s);
    return out;
}

CycleCurves normaliseToCycle(const std::vector<double>& time, const std::vector<double>& samples, std::size_t cols,
                             const std::vector<std::pair<double, double>>& strides, std::size_t points) {
    if (cols == 0 || samples.size() != time.size() * cols) throw std::invalid_argument("samples do not match time");
    if (points < 2) throw std::invalid_argument("need at least 2 cycle points");
    for (std::size_t k = 1; k < time.size(); ++k)
        if (!(time[k] > time[k - 1])) throw std::invalid_argument("time is not increasing");
    const auto use = usableStrides(time, strides);
    if (use.empty()) throw std::invalid_argument("no stride lies inside the recorded samples");

    CycleCurves out;
    out.points = points;
    out.cols = cols;
    out.strides = static_cast<int>(use.size());
    out.mean.assign(points * cols, 0.0);
    out.sd.assign(points * cols, kNaN);
    std::vector<double> values(use.size());
    for (std::size_t p = 0; p < points; ++p) {
        const double f = static_cast<double>(p) / static_cast<double>(points - 1);
        for (std::size_t c = 0; c < cols; ++c) {
            for (std::size_t s = 0; s < use.size(); ++s) {
                const double t = std::clamp(use[s].first + f * (use[s].second - use[s].first), time.front(), time.back());
                values[s] = interpolateAt(time, samples, cols, c, t);
            }
            out.mean[p * cols + c] = mean(values);
            out.sd[p * cols + c] = sampleSd(values);
        }
    }
    return out;
}

Src standardisedRegression(const std::vector<std::vector<double>>& x, const std::vector<double>& y) {
    Src out;
    out.coef.assign(x.size(), kNaN);
    out.r2 = kNaN;
    const std::size_t n = y.size();
    for (const auto& col : x)
        if (col.size() != n) throw std::invalid_argument("parameter and metric lengths differ");
    const double sy = sampleSd(y);
    if (!(sy > 0)) {
        out.why_not = n < 2 ? "fewer than 2 finished points" : "the metric has the same value at every point";
        return out;
    }
    std::vector<std::size_t> varying;
    for (std::size_t j = 0; j < x.size(); ++j)
        if (sampleSd(x[j]) > 0) varying.push_back(j);
    if (varying.empty()) {
        out.why_not = "no parameter varies";
        return out;
    }
    if (n <= varying.size() + 1) {
        // With n <= k + 1 the fit passes through every point: R^2 = 1 whatever the model, so
        // neither R^2 nor the coefficients say anything.
        out.why_not = std::to_string(n) + " finished points for " + std::to_string(varying.size()) +
                      " varying parameters; a linear fit needs at least " + std::to_string(varying.size() + 2);
        return out;
    }

    // Standardised variables: the fit's slopes are then the SRC directly (no intercept needed,
    // every column has mean zero).
    const double my = mean(y);
    Eigen::MatrixXd A(n, varying.size());
    Eigen::VectorXd b(n);
    for (std::size_t i = 0; i < n; ++i) b(i) = (y[i] - my) / sy;
    for (std::size_t k = 0; k < varying.size(); ++k) {
        const auto& col = x[varying[k]];
        const double m = mean(col), s = sampleSd(col);
        for (std::size_t i = 0; i < n; ++i) A(i, k) = (col[i] - m) / s;
    }
    const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(A);
    if (qr.rank() < static_cast<Eigen::Index>(varying.size())) {
        out.why_not = "the parameters vary together (collinear): no unique fit";
        return out;
    }
    const Eigen::VectorXd beta = qr.solve(b);
    const double ss_res = (A * beta - b).squaredNorm();
    const double ss_tot = b.squaredNorm();
    for (std::size_t k = 0; k < varying.size(); ++k) out.coef[varying[k]] = beta(k);
    out.r2 = 1.0 - ss_res / ss_tot;
    return out;
}

std::vector<double> firstOrderIndices(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                                      std::size_t max_bins) {
    const std::size_t n = y.size();
    std::vector<double> out(x.size(), kNaN);
    if (n < 4 || max_bins < 2) return out;
    const double my = mean(y);
    double total = 0;
    for (double v : y) total += (v - my) * (v - my);
    if (!(total > 0)) return out;
    for (std::size_t j = 0; j < x.size(); ++j) {
        if (x[j].size() != n) throw std::invalid_argument("parameter and metric lengths differ");
        std::vector<std::size_t> order(n);
        for (std::size_t i = 0; i < n; ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[j][a] < x[j][b]; });
        // Bins: runs of equal x when there are few distinct values, else equal-count slices.
        std::vector<std::size_t> starts{0}, runs{0};
        std::size_t shortest = n;
        for (std::size_t k = 1; k < n; ++k)
            if (x[j][order[k]] != x[j][order[k - 1]]) runs.push_back(k);
        if (runs.size() < 2) continue;   // x_j does not vary
        for (std::size_t r = 0; r < runs.size(); ++r)
            shortest = std::min(shortest, (r + 1 < runs.size() ? runs[r + 1] : n) - runs[r]);
        if (shortest >= 2) {
            starts = runs;   // every value repeated (a grid): one bin per value, exact means
        } else {
            for (std::size_t b = 1; b < max_bins; ++b) starts.push_back(b * n / max_bins);
        }
        starts.push_back(n);
        double between = 0;
        bool enough = true;
        for (std::size_t b = 0; b + 1 < starts.size(); ++b) {
            const std::size_t count = starts[b + 1] - starts[b];
            enough = enough && count >= 2;
            double sum = 0;
            for (std::size_t k = starts[b]; k < starts[b + 1]; ++k) sum += y[order[k]];
            const double mb = sum / static_cast<double>(count);
            between += static_cast<double>(count) * (mb - my) * (mb - my);
        }
        if (enough) out[j] = between / total;
    }
    return out;
}

}  // namespace corestride
