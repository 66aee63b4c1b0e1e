// Shared helpers of the tests: the shipped model (built once per test process) and lookup of
// a run's summary metrics.
#pragma once

#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "cmc.h"
#include "inverse_dynamics.h"
#include "model.h"
#include "model_analysis.h"
#include "model_forces.h"
#include "model_parser.h"
#include "paths.h"

namespace corestride::test {

// The built-in model for the default subject (75 kg, 1.75 m).
inline std::shared_ptr<const Model> shippedModelPtr() {
    static const std::shared_ptr<const Model> m = Model::build(readModelFile(defaultModelPath()), Subject{});
    return m;
}
inline const Model& shippedModel() { return *shippedModelPtr(); }

// A summary metric of a run by name; fails the test if absent.
inline double metric(const RunResult& r, const std::string& name) {
    for (const auto& [n, v] : r.metrics)
        if (n == name) return v;
    FAIL("no metric " << name);
    return 0;
}

// Cross-check of a simulated run: the recorded muscle forces through moment arms of an
// independent algorithm (calcMomentArm: Jacobian transpose of the path forces) plus the
// recorded reserves, against inverse dynamics of the recorded motion (no muscles, no reserves)
// under the ground reactions `loads`, at every `step`-th interior sample. Returns the largest
// mismatch and the largest generalized force, per coordinate.
struct Mismatch {
    double worst = 0, scale = 0;
};
inline Mismatch inverseDynamicsMismatch(const Model& m, const RunResult& r, const ExternalLoadSource* loads, int step) {
    const int nc = static_cast<int>(m.coordinates().size()), nm = static_cast<int>(m.muscles().size());
    SimTK::State s = m.defaultState();
    m.forces().setExternalLoads(s, loads);
    m.forces().setMusclesEnabled(s, false);
    std::vector<double> q(nc), qd(nc), qdd(nc), tau(nc);
    SimTK::Vector udot;
    Mismatch out;
    for (int k = 1; k < r.q.rows() - 1; k += step) {
        for (int c = 0; c < nc; ++c) { q[c] = r.q.at(k, c); qd[c] = r.qd.at(k, c); qdd[c] = r.qdd.at(k, c); }
        s.setTime(r.time[k]);
        setCoordinateState(m, s, q.data(), qd.data());
        coordinateToMobility(m, qdd.data(), udot);
        calcMissingForces(m, s, udot, tau.data());   // M qdd + C - gravity - GRF - passive joints
        m.system().realize(s, SimTK::Stage::Position);
        for (int c = 0; c < nc; ++c) {
            double applied = r.reserves.at(k, c);
            for (int i = 0; i < nm; ++i) applied += calcMomentArm(m, s, i, c) * r.muscle_force.at(k, i);
            out.worst = std::max(out.worst, std::abs(applied - tau[c]));
            out.scale = std::max(out.scale, std::abs(tau[c]));
        }
    }
    return out;
}

}  // namespace corestride::test
