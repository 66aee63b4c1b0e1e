// Small results files with hand-chosen signals, written with the same H5Writer as the
// simulator, so that the analysis can be checked against numbers worked out by hand.
//
// Runs file (writeSyntheticRuns): runs `healthy` and `weak`, samples every 0.01 s over
// [0, 1] s, strides [0, 0.5], [0.5, 1.0] and [0.9, 1.4] (the last ends after the samples and
// must be ignored). Per run, with extra = 0 (healthy) or 100 (weak):
//   L5_S1 force: compression 1000 + 200 t + extra, ap_shear 300, lateral_shear 50 t   (N)
//   other lumbar levels: zeros; stride_metrics peak_compression 1100 + extra, 1200 + extra
//   muscles m1 (groups "a,b"), m2 ("b"), m3 ("c"): forces 10 (20 when weak), 20 t, 5 (N)
//   grf: right vertical 500 N where (t mod 0.5) < 0.2, left where it is in [0.25, 0.45)
//   coordinates: the built-in model's, coordinate c = 0.001 (c + 1) t (rad or m): the default
//   pose at t = 0
//   hip/force: zero except on the right (3, 4, 0) N at t = 0.3 and (0, 0, 2) N at t = 0.8, on
//   the left (0, 6, 8) N at t = 0.7
// Sweep file (writeSyntheticSweep): parameters p1, p2 on the 3 x 3 grid {0, 1, 2}^2 plus a
// failed point; metrics lin = 3 p1 - 2 p2 and mixed = p1 + (p1 - 1)(p2 - 1).
#pragma once

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "h5_file.h"
#include "model.h"
#include "run_output.h"
#include "scenario.h"

namespace corestride::test {

// `skip`: datasets (paths below the run group, e.g. "coordinates/q") left out, so that a test
// can write a damaged version of them itself.
inline void writeSyntheticRun(H5Writer& w, const Model& model, const std::string& name, bool weak,
                              const std::set<std::string>& skip = {}) {
    const std::string g = "/runs/" + name;
    const auto wanted = [&](const std::string& path) { return skip.count(path.substr(g.size() + 1)) == 0; };
    const auto matrix = [&](const std::string& path, std::size_t rows, std::size_t cols, const std::vector<double>& v,
                            const std::string& units, const std::vector<std::string>& columns = {}) {
        if (wanted(path)) w.writeMatrix(path, rows, cols, v, units, columns);
    };
    const double extra = weak ? 100.0 : 0.0;
    std::vector<double> t;
    for (int k = 0; k <= 100; ++k) t.push_back(0.01 * k);
    const std::size_t n = t.size();
    const Scenario s = Scenario::resolve("", weak ? std::map<std::string, std::string>{{"weakness.glute_med", "0.4"}}
                                                  : std::map<std::string, std::string>{});
    w.createGroup(g);
    w.setStringAttribute(g, "scenario", s.toIni());
    w.setStringAttribute(g, "status", "ok");
    w.setDoubleAttribute(g, "body_weight_N", 735.49875);
    if (wanted(g + "/time")) w.writeDoubles(g + "/time", t, "s");
    matrix(g + "/strides", 3, 2, {0.0, 0.5, 0.5, 1.0, 0.9, 1.4}, "s", {"start", "end"});

    std::vector<std::string> cnames, cunits;
    for (const auto& c : model.coordinates()) {
        cnames.push_back(c.name);
        cunits.push_back(c.rotational ? "rad" : "m");
    }
    w.writeStrings(g + "/coordinates/names", cnames);
    w.writeStrings(g + "/coordinates/units", cunits);
    std::vector<double> q;
    for (std::size_t k = 0; k < n; ++k)
        for (std::size_t c = 0; c < cnames.size(); ++c) q.push_back(0.001 * static_cast<double>(c + 1) * t[k]);
    matrix(g + "/coordinates/q", n, cnames.size(), q, "rad or m", cnames);

    for (const char* level : {"L5_S1", "L4_L5", "L3_L4", "L2_L3", "L1_L2"}) {
        std::vector<double> f(n * 3, 0.0);
        if (std::string(level) == "L5_S1")
            for (std::size_t k = 0; k < n; ++k) {
                f[3 * k] = 1000 + 200 * t[k] + extra;
                f[3 * k + 1] = 300;
                f[3 * k + 2] = 50 * t[k];
            }
        const std::string lg = g + "/lumbar/" + level;
        matrix(lg + "/force", n, 3, f, "N", {"compression", "ap_shear", "lateral_shear"});
        matrix(lg + "/moment", n, 3, std::vector<double>(n * 3, 0.0), "N m", {"about_x", "about_y", "about_z"});
        std::vector<double> m(2 * 9, 0.0);
        m[0] = 1100 + extra;
        m[9] = 1200 + extra;
        matrix(lg + "/stride_metrics", 2, 9, m, "see column_units",
                      {"peak_compression", "peak_compression_bw", "mean_compression", "mean_compression_bw",
                       "peak_anterior_shear", "peak_posterior_shear", "peak_lateral_shear", "compression_impulse",
                       "peak_loading_rate"});
    }
    w.writeStrings(g + "/muscles/names", {"m1", "m2", "m3"});
    if (wanted(g + "/muscles/groups")) w.writeStrings(g + "/muscles/groups", {"a,b", "b", "c"});
    std::vector<double> mf, act;
    for (std::size_t k = 0; k < n; ++k) {
        mf.insert(mf.end(), {weak ? 20.0 : 10.0, 20 * t[k], 5.0});
        act.insert(act.end(), {0.1, 0.2, 0.3});
    }
    matrix(g + "/muscles/force", n, 3, mf, "N", {"m1", "m2", "m3"});
    matrix(g + "/muscles/activation", n, 3, act, "1", {"m1", "m2", "m3"});

    std::vector<double> grf(n * 6, 0.0), cop(n * 6, 0.0), hip(n * 6, 0.0);
    for (std::size_t k = 0; k < n; ++k) {
        const double phase = std::fmod(t[k] + 1e-12, 0.5);
        if (phase < 0.2) grf[6 * k + 1] = 500;
        if (phase >= 0.25 && phase < 0.45) grf[6 * k + 4] = 500;
        cop[6 * k] = 0.1 * t[k];
    }
    hip[6 * 30] = 3;
    hip[6 * 30 + 1] = 4;
    hip[6 * 80 + 2] = 2;
    hip[6 * 70 + 4] = 6;
    hip[6 * 70 + 5] = 8;
    const std::vector<std::string> sides{"r_x", "r_y", "r_z", "l_x", "l_y", "l_z"};
    matrix(g + "/grf/force", n, 6, grf, "N", sides);
    matrix(g + "/grf/cop", n, 6, cop, "m", sides);
    matrix(g + "/grf/free_moment", n, 2, std::vector<double>(n * 2, 1.5), "N m", {"r", "l"});
    matrix(g + "/hip/force", n, 6, hip, "N", sides);
    w.writeStrings(g + "/summary/names", {"L5_S1_peak_compression_N", "tracking_rms_hip_flexion_r_deg"});
    if (wanted(g + "/summary/values")) w.writeDoubles(g + "/summary/values", {1150 + extra, 0.25}, "see names");
}

// format_version: the current one, or an older one that readers must still accept (a
// version-1 file is a version-2 file without compensation groups).
inline void writeSyntheticRuns(const std::string& path, const Model& model, int format_version = 0) {
    H5Writer w = H5Writer::create(path, true);
    writeFileHeader(w);
    if (format_version > 0) w.setIntAttribute("/", "format_version", format_version);
    writeSyntheticRun(w, model, "healthy", false);
    writeSyntheticRun(w, model, "weak", true);
    w.commit();
}

inline void writeSyntheticSweep(const std::string& path) {
    H5Writer w = H5Writer::create(path, true);
    writeFileHeader(w);
    w.setStringAttribute("/", "content", "sweep");
    w.setStringAttribute("/", "design", "grid");
    std::vector<double> rows;
    int point = 0;
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b)
            rows.insert(rows.end(), {double(point++), double(a), double(b), 1.0, 0.5, 3.0 * a - 2.0 * b,
                                     a + (a - 1.0) * (b - 1.0)});
    rows.insert(rows.end(), {double(point), 7.0, 7.0, 0.0, 0.1, std::nan(""), std::nan("")});   // failed point
    w.writeMatrix("/summary", 10, 7, rows, "see column_units", {"point", "p1", "p2", "ok", "wall_time_s", "lin", "mixed"});
    w.writeStrings("/status", std::vector<std::string>(9, "ok"));
    w.commit();
}

}  // namespace corestride::test
