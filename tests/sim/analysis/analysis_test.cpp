#include <catch2/catch.hpp>

#include <cmath>

#include "analysis.h"

using namespace corestride;

TEST_CASE("interpolateAt is exact for a piecewise-linear signal", "[analysis]") {
    const std::vector<double> time{0.0, 1.0, 3.0};
    const std::vector<double> samples{0.0, 10.0, 2.0, 20.0, 6.0, 0.0};   // two columns
    CHECK(interpolateAt(time, samples, 2, 0, 0.5) == Approx(1.0));
    CHECK(interpolateAt(time, samples, 2, 0, 2.0) == Approx(4.0));
    CHECK(interpolateAt(time, samples, 2, 1, 2.0) == Approx(10.0));
    CHECK(interpolateAt(time, samples, 2, 1, 3.0) == Approx(0.0));
    CHECK(interpolateAt(time, samples, 2, 0, 0.0) == Approx(0.0));
}

TEST_CASE("normaliseToCycle: mean and sample SD over strides, hand-computed", "[analysis]") {
    // y = 1000 + 200 t sampled every 0.01 s on [0, 1]; strides [0, .5] and [.5, 1]: at cycle
    // fraction f the strides give 1000 + 100 f and 1100 + 100 f, so mean = 1050 + 100 f and
    // SD = sqrt((50^2 + 50^2) / 1) = 70.7107. A stride outside the samples is ignored.
    std::vector<double> time, y;
    for (int k = 0; k <= 100; ++k) {
        time.push_back(0.01 * k);
        y.push_back(1000 + 200 * time.back());
        y.push_back(7.0);
    }
    const auto c = normaliseToCycle(time, y, 2, {{0.0, 0.5}, {0.5, 1.0}, {0.9, 1.4}}, 101);
    REQUIRE(c.strides == 2);
    REQUIRE(c.points == 101);
    for (std::size_t p = 0; p < 101; p += 10) {
        const double f = p / 100.0;
        CHECK(c.meanAt(p, 0) == Approx(1050 + 100 * f));
        CHECK(c.sdAt(p, 0) == Approx(std::sqrt(5000.0)));
        CHECK(c.meanAt(p, 1) == Approx(7.0));
        CHECK(c.sdAt(p, 1) == Approx(0.0).margin(1e-12));
    }
    // One stride: the SD is unknown, NaN rather than 0.
    const auto one = normaliseToCycle(time, y, 2, {{0.2, 0.7}}, 11);
    CHECK(one.strides == 1);
    CHECK(one.meanAt(10, 0) == Approx(1140.0));
    CHECK(std::isnan(one.sdAt(3, 0)));
}

TEST_CASE("normaliseToCycle rejects what it cannot average", "[analysis]") {
    const std::vector<double> time{0.0, 0.1, 0.2}, y{1, 2, 3};
    CHECK_THROWS_AS(normaliseToCycle(time, y, 1, {{0.5, 1.0}}), std::invalid_argument);   // no usable stride
    CHECK_THROWS_AS(normaliseToCycle(time, {1, 2}, 1, {{0.0, 0.2}}), std::invalid_argument);
    CHECK_THROWS_AS(normaliseToCycle({0.0, 0.0, 0.2}, y, 1, {{0.0, 0.2}}), std::invalid_argument);
}

TEST_CASE("standardised regression: closed form on a full grid", "[analysis]") {
    // y = 3 x1 - 2 x2 on {0,1,2}^2: sd(x1) = sd(x2), so SRC = (3, -2) / sqrt(13) and R^2 = 1.
    std::vector<std::vector<double>> x(2);
    std::vector<double> lin, mixed;
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) {
            x[0].push_back(a);
            x[1].push_back(b);
            lin.push_back(3.0 * a - 2.0 * b);
            mixed.push_back(a + (a - 1.0) * (b - 1.0));
        }
    const Src s = standardisedRegression(x, lin);
    CHECK(s.coef[0] == Approx(3 / std::sqrt(13.0)));
    CHECK(s.coef[1] == Approx(-2 / std::sqrt(13.0)));
    CHECK(s.r2 == Approx(1.0));
    // y = x1 + (x1 - 1)(x2 - 1): the interaction is orthogonal to both parameters on the grid,
    // var(x1) = 0.75 and var(interaction) = 0.5, so b = (1, 0), R^2 = 0.75 / 1.25 = 0.6 and
    // SRC1 = sqrt(0.6).
    const Src m = standardisedRegression(x, mixed);
    CHECK(m.coef[0] == Approx(std::sqrt(0.6)));
    CHECK(m.coef[1] == Approx(0.0).margin(1e-12));
    CHECK(m.r2 == Approx(0.6));
}

TEST_CASE("standardised regression with one parameter equals Pearson's r", "[analysis]") {
    // Cross-check against the correlation coefficient computed directly.
    const std::vector<double> x{0.1, 0.4, 0.35, 0.8, 0.55, 0.9, 0.2};
    const std::vector<double> y{1.0, 2.1, 1.7, 3.9, 2.2, 4.1, 1.5};
    double mx = mean(x), my = mean(y), sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    const double r = sxy / std::sqrt(sxx * syy);
    const Src s = standardisedRegression({x}, y);
    CHECK(s.coef[0] == Approx(r).epsilon(1e-12));
    CHECK(s.r2 == Approx(r * r).epsilon(1e-12));
}

TEST_CASE("standardised regression: constant parameters and metrics give NaN", "[analysis]") {
    const std::vector<double> a{1, 2, 3, 4}, c{5, 5, 5, 5};
    const Src s = standardisedRegression({a, c}, {2, 4, 6, 8});
    CHECK(s.coef[0] == Approx(1.0));
    CHECK(std::isnan(s.coef[1]));
    const Src flat = standardisedRegression({a}, c);
    CHECK(std::isnan(flat.coef[0]));
    CHECK(std::isnan(flat.r2));
    CHECK_THAT(flat.why_not, Catch::Matchers::Contains("same value at every point"));
    CHECK(s.why_not.empty());
    const Src few = standardisedRegression({a, {1, 3, 2, 5}, {0, 1, 1, 0}}, {1, 2, 3, 4});   // 4 points, 3 parameters
    CHECK(std::isnan(few.r2));
    CHECK(std::isnan(sampleSd({1.0})));
}

TEST_CASE("standardised regression: too few points for the parameters say so instead of R^2 = 1", "[analysis]") {
    // 3 points, 2 varying parameters: any plane passes through them exactly.
    const Src s = standardisedRegression({{3.5, 3.5, 3.8}, {0, 0.4, 0.4}}, {3712, 3730, 3990});
    CHECK(std::isnan(s.r2));
    CHECK(std::isnan(s.coef[0]));
    CHECK_THAT(s.why_not, Catch::Matchers::Contains("3 finished points for 2 varying parameters") &&
                              Catch::Matchers::Contains("at least 4"));
    const Src collinear = standardisedRegression({{1, 2, 3, 4, 5}, {2, 4, 6, 8, 10}}, {1, 3, 2, 5, 4});
    CHECK(std::isnan(collinear.r2));
    CHECK_THAT(collinear.why_not, Catch::Matchers::Contains("collinear"));
}

TEST_CASE("first-order indices: exact on a grid, where they equal SRC^2 for a linear metric", "[analysis]") {
    std::vector<std::vector<double>> x(2);
    std::vector<double> lin, mixed;
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) {
            x[0].push_back(a);
            x[1].push_back(b);
            lin.push_back(3.0 * a - 2.0 * b);
            mixed.push_back(a + (a - 1.0) * (b - 1.0));
        }
    const auto s = firstOrderIndices(x, lin, 10);
    const Src src = standardisedRegression(x, lin);
    CHECK(s[0] == Approx(9.0 / 13.0));
    CHECK(s[1] == Approx(4.0 / 13.0));
    CHECK(s[0] == Approx(src.coef[0] * src.coef[0]));   // the two methods agree on a linear metric
    // x1 + (x1 - 1)(x2 - 1): E[y | x1] = x1 and E[y | x2] = 1, so S = (0.6, 0); the remaining
    // 0.4 of the variance is the interaction, which no first-order index sees.
    const auto m = firstOrderIndices(x, mixed, 10);
    CHECK(m[0] == Approx(0.6));
    CHECK(m[1] == Approx(0.0).margin(1e-12));
}

TEST_CASE("first-order indices from a Latin hypercube against the closed form of x1 + x2^2", "[analysis]") {
    // x1, x2 uniform on [0, 1]: Var(x1) = 1/12, Var(x2^2) = 1/5 - 1/9 = 4/45, so
    // S1 = (1/12) / (1/12 + 4/45) = 0.4839 and S2 = 0.5161. A deterministic Latin hypercube of
    // 900 points (stratum centres, the second column permuted by a fixed stride) and 30 bins.
    const std::size_t n = 900;
    std::vector<std::vector<double>> x(2, std::vector<double>(n));
    std::vector<double> y(n);
    for (std::size_t i = 0; i < n; ++i) {
        x[0][i] = (static_cast<double>(i) + 0.5) / n;
        x[1][i] = (static_cast<double>((i * 367) % n) + 0.5) / n;   // 367 is coprime with 900
        y[i] = x[0][i] + x[1][i] * x[1][i];
    }
    const double v1 = 1.0 / 12, v2 = 4.0 / 45;
    const auto s = firstOrderIndices(x, y, 30);
    CHECK(s[0] == Approx(v1 / (v1 + v2)).margin(0.03));
    CHECK(s[1] == Approx(v2 / (v1 + v2)).margin(0.03));
    // The linear fit sees only part of x2^2: SRC2^2 < S2, while the sum of first-order indices
    // is about 1 (no interaction).
    const Src src = standardisedRegression(x, y);
    CHECK(src.coef[1] * src.coef[1] < s[1]);
    CHECK(s[0] + s[1] == Approx(1.0).margin(0.03));
    // Nothing to say about a constant parameter or a constant metric.
    CHECK(std::isnan(firstOrderIndices({std::vector<double>(n, 1.0)}, y, 30)[0]));
    CHECK(std::isnan(firstOrderIndices(x, std::vector<double>(n, 2.0), 30)[1]));
}
