// Numerical analysis of results, independent of files: resampling to the gait cycle with mean
// and standard deviation over strides, and standardised regression coefficients for sweeps.
// Methods and citations: docs/analysis.md.
#pragma once

#include <cstddef>
#include <utility>
#include <string>
#include <vector>

namespace corestride {

// Curves over the gait cycle: `points` rows (0 % ... 100 %) by `cols` columns, row-major.
struct CycleCurves {
    std::size_t points = 0, cols = 0;
    int strides = 0;                 // strides averaged
    std::vector<double> mean, sd;    // sd: sample SD (n - 1); NaN with one stride
    double meanAt(std::size_t p, std::size_t c) const { return mean[p * cols + c]; }
    double sdAt(std::size_t p, std::size_t c) const { return sd[p * cols + c]; }
};

// Value of a sampled signal (row-major rows x cols, rows at the increasing `time`) at time t
// in column c, by linear interpolation; t must lie in [time.front(), time.back()].
double interpolateAt(const std::vector<double>& time, const std::vector<double>& samples,
                     std::size_t cols, std::size_t c, double t);

// Strides [start, end] that lie inside the sampled time range (1e-9 s tolerance).
std::vector<std::pair<double, double>> usableStrides(const std::vector<double>& time,
                                                     const std::vector<std::pair<double, double>>& strides);

// Resamples every usable stride at `points` equally spaced instants (first = start, last =
// end) and returns the mean and sample SD over strides. Throws std::invalid_argument if no
// stride is usable, time is not increasing, or sizes disagree.
CycleCurves normaliseToCycle(const std::vector<double>& time, const std::vector<double>& samples,
                             std::size_t cols, const std::vector<std::pair<double, double>>& strides,
                             std::size_t points = 101);

// Standardised regression coefficients of y on the columns of x (x[j] is parameter j over
// the points): least squares y = b0 + sum b_j x_j, SRC_j = b_j sd(x_j) / sd(y), and the fit's
// R^2. A parameter that does not vary is left out of the fit and gets NaN; if y does not vary,
// there are not more points than fitted parameters + 1, or the varying parameters are
// collinear over the points (no unique fit), everything is NaN.
struct Src {
    std::vector<double> coef;
    double r2 = 0;
    std::string why_not;   // empty when computed; else why not, in words (the metric does not vary, too few points, ...)
};
Src standardisedRegression(const std::vector<std::vector<double>>& x, const std::vector<double>& y);

// First-order sensitivity indices from given data (no special design needed): for each
// parameter j, S_j = Var(E[y | x_j]) / Var(y), with E[y | x_j] estimated as the mean of y in
// bins of x_j. A parameter whose every value occurs at least twice (a grid) gets one bin per
// value, exact conditional means; otherwise (a Latin hypercube) the points sorted by x_j are
// cut into `max_bins` bins of (nearly) equal count. Plischke, Borgonovo & Smith 2013 (European Journal of
// Operational Research 226:536) analyse this estimator; it is biased upwards by about
// bins / n for pure noise. 1 - sum S_j is the share of variance left to interactions. NaN
// where y or x_j does not vary or there are fewer than 2 points per bin.
std::vector<double> firstOrderIndices(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                                      std::size_t max_bins);

// Sample mean and SD (n - 1; NaN for n < 2).
double mean(const std::vector<double>& v);
double sampleSd(const std::vector<double>& v);

}  // namespace corestride
