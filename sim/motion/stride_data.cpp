#include "stride_data.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "error.h"
#include "record_reader.h"
#include "input_file.h"

namespace corestride {

void FourierCurve::evaluate(double phi, double period, double& x, double& xd, double& xdd) const {
    const double w = 2 * M_PI / period;
    x = a0;
    xd = xdd = 0;
    for (size_t k = 1; k <= a.size(); ++k) {
        const double wk = w * static_cast<double>(k), th = 2 * M_PI * static_cast<double>(k) * phi;
        const double c = std::cos(th), s = std::sin(th);
        x += a[k - 1] * c + b[k - 1] * s;
        xd += wk * (-a[k - 1] * s + b[k - 1] * c);
        xdd -= wk * wk * (a[k - 1] * c + b[k - 1] * s);
    }
}

double StanceCurve::stanceFraction(double phi) const {
    double p = phi - start;
    p -= std::floor(p);
    const double s = p / (end - start);
    return s <= 1.0 ? s : -1.0;
}

double StanceCurve::evaluate(double s) const {
    double f = 0;
    if (sine) {
        for (size_t k = 1; k <= coef.size(); ++k) f += coef[k - 1] * std::sin(static_cast<double>(k) * M_PI * s);
    } else {
        double p = 1;
        for (double c : coef) { f += c * p; p *= s; }
        f += offset;
    }
    return f;
}

std::vector<StrideTrial> readStrideFile(const std::string& path) {
    std::istringstream in(readInputFile(path, "stride file"));
    std::vector<StrideTrial> trials;
    auto trialFor = [&](Record& r) -> StrideTrial& {
        const double label = r.scalar("trial");
        for (auto& t : trials)
            if (t.nominal_speed == label) return t;
        r.fail("trial", "no 'trial' record with nominal_speed=" + r.raw("trial") + " before this line");
    };
    forEachRecord(in, path, [&](Record& r) {
        if (r.keyword == "trial") {
            StrideTrial t;
            t.nominal_speed = r.positive("nominal_speed");
            t.speed = r.positive("speed");
            t.stride_time = r.positive("stride_time");
            t.body_mass = r.positive("body_mass");
            t.left_strike_phase = r.scalar("left_strike_phase");
            for (const char* k : {"cycles", "duty_factor_r", "duty_factor_l"}) r.scalar(k);
            trials.push_back(t);
        } else if (r.keyword == "coord") {
            StrideTrial& t = trialFor(r);
            FourierCurve c;
            c.a0 = r.scalar("a0");
            c.a = r.numbers("a", 0);
            c.b = r.numbers("b", 0);
            if (c.a.size() != c.b.size()) r.fail("b", "needs as many coefficients as 'a'");
            r.raw("unit");
            const std::string kind = r.raw("kind");
            if (kind != "raw" && kind != "symmetric") r.fail("kind", "'" + kind + "' is not raw or symmetric");
            (kind == "raw" ? t.raw : t.symmetric)[r.raw("name")] = c;
        } else if (r.keyword == "grf") {
            StrideTrial& t = trialFor(r);
            StanceCurve c;
            c.start = r.scalar("stance_start");
            c.end = r.scalar("stance_end");
            if (!(c.end > c.start)) r.fail("stance_end", "must exceed stance_start");
            const std::string basis = r.raw("basis");
            r.raw("unit");
            if (basis == "sin") {
                c.coef = r.numbers("b", 0);
            } else if (basis == "poly") {
                c.sine = false;
                c.coef = r.numbers("c", 0);
                c.offset = r.scalar("offset");
            } else {
                r.fail("basis", "'" + basis + "' is not sin or poly");
            }
            t.grf[r.raw("foot") + "." + r.raw("comp")] = c;
        } else {
            r.fail("", "unknown record '" + r.keyword + "'");
        }
    });
    if (trials.empty()) throw UserError(path + ": no 'trial' records");
    std::sort(trials.begin(), trials.end(),
              [](const StrideTrial& x, const StrideTrial& y) { return x.nominal_speed < y.nominal_speed; });
    return trials;
}

namespace {

double lerp(double x, double y, double w) { return (1 - w) * x + w * y; }

FourierCurve lerp(const FourierCurve& x, const FourierCurve& y, double w) {
    FourierCurve c;
    c.a0 = lerp(x.a0, y.a0, w);
    for (size_t k = 0; k < x.a.size(); ++k) {
        c.a.push_back(lerp(x.a[k], y.a[k], w));
        c.b.push_back(lerp(x.b[k], y.b[k], w));
    }
    return c;
}

StanceCurve lerp(const StanceCurve& x, const StanceCurve& y, double w) {
    StanceCurve c = x;
    c.start = lerp(x.start, y.start, w);
    c.end = lerp(x.end, y.end, w);
    c.offset = lerp(x.offset, y.offset, w);
    for (size_t k = 0; k < x.coef.size(); ++k) c.coef[k] = lerp(x.coef[k], y.coef[k], w);
    return c;
}

}  // namespace

StrideTrial interpolateStride(const std::vector<StrideTrial>& trials, double v) {
    if (v <= trials.front().nominal_speed) return trials.front();
    if (v >= trials.back().nominal_speed) return trials.back();
    size_t i = 1;
    while (trials[i].nominal_speed < v) ++i;
    const StrideTrial &x = trials[i - 1], &y = trials[i];
    const double w = (v - x.nominal_speed) / (y.nominal_speed - x.nominal_speed);
    StrideTrial t;
    t.nominal_speed = v;
    t.speed = lerp(x.speed, y.speed, w);
    t.stride_time = lerp(x.stride_time, y.stride_time, w);
    t.body_mass = lerp(x.body_mass, y.body_mass, w);
    t.left_strike_phase = lerp(x.left_strike_phase, y.left_strike_phase, w);
    for (const auto& [k, c] : x.raw) t.raw[k] = lerp(c, y.raw.at(k), w);
    for (const auto& [k, c] : x.symmetric) t.symmetric[k] = lerp(c, y.symmetric.at(k), w);
    for (const auto& [k, c] : x.grf) t.grf[k] = lerp(c, y.grf.at(k), w);
    return t;
}

}  // namespace corestride
