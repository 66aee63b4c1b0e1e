// Quiet standing as a reference motion (see the header).
#include "standing_reference.h"

#include <algorithm>

#include "error.h"
#include "inverse_dynamics.h"

namespace corestride {
namespace {

constexpr double kGravity = 9.80665;   // m/s^2, as in the model's gravity

class StandingReference : public ReferenceMotion {
public:
    StandingReference(const Model& model, double duration) {
        if (!(duration > 0)) throw UserError("standing reference: duration must be > 0 s");
        t0_ = 0;
        t1_ = duration;
        body_weight_ = model.subject().mass * kGravity;
        for (const Coordinate& c : model.coordinates()) q_.push_back(c.default_value);
        SimTK::State s = model.defaultState();
        std::vector<double> zero(q_.size(), 0.0);
        setCoordinateState(model, s, q_.data(), zero.data());
        model.system().realize(s, SimTK::Stage::Position);
        // Stand on the ground: lift the pelvis until the lower foot origin (the heel) is at y = 0.
        const int ty = model.coordinateIndex("pelvis_ty");
        if (ty < 0) throw UserError("standing reference: the model has no coordinate 'pelvis_ty'");
        double lowest = 1e9;
        for (const char* foot : {"foot_r", "foot_l"})
            lowest = std::min(lowest, model.matter().getMobilizedBody(model.bodyIndex(foot)).getBodyTransform(s).p()[1]);
        q_[ty] -= lowest;
        setCoordinateState(model, s, q_.data(), zero.data());
        model.system().realize(s, SimTK::Stage::Position);
        // The force is vertical, so only the fore-aft and lateral position of the COP matter.
        const SimTK::Vec3 com = model.matter().calcSystemMassCenterLocationInGround(s);
        const double weight = model.totalMass() * kGravity;
        const char* feet[2] = {"foot_r", "foot_l"};
        for (int k = 0; k < 2; ++k) {
            FootLoad& f = loads_[k];
            f.contact = true;
            f.body = model.bodyIndex(feet[k]);
            const SimTK::Transform X_GF = model.matter().getMobilizedBody(f.body).getBodyTransform(s);
            f.cop_G = SimTK::Vec3(com[0], X_GF.p()[1], X_GF.p()[2]);
            f.p_B = ~X_GF * f.cop_G;
            f.force_G = SimTK::Vec3(0, weight / 2, 0);
        }
        // Unequal lateral arms would need unequal forces: split the weight so that the
        // moment about the COM's fore-aft axis vanishes.
        const double zr = loads_[0].cop_G[2] - com[2], zl = loads_[1].cop_G[2] - com[2];
        if (zr != zl) {
            loads_[0].force_G[1] = weight * (-zl) / (zr - zl);
            loads_[1].force_G[1] = weight * zr / (zr - zl);
        }
        diagnostics_.push_back({"standing_duration_s", duration});
    }
    void coordinates(double, double* q, double* qd, double* qdd) const override {
        for (size_t c = 0; c < q_.size(); ++c) { q[c] = q_[c]; qd[c] = 0; qdd[c] = 0; }
    }
    void footLoads(double, FootLoad& right, FootLoad& left) const override {
        right = loads_[0];
        left = loads_[1];
    }

private:
    std::vector<double> q_;
    FootLoad loads_[2];
};

}  // namespace

std::unique_ptr<ReferenceMotion> makeStandingReference(const Model& model, double duration) {
    return std::make_unique<StandingReference>(model, duration);
}

}  // namespace corestride
