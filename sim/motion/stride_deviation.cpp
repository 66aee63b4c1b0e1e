// Compensated strides: periodic deviations and the ground-reaction transfer (see the header).
#include "stride_deviation.h"

#include <algorithm>
#include <cmath>

#include "inverse_dynamics.h"
#include "model_forces.h"

namespace corestride {

void StrideDeviation::basis(double t, double* b, double* bd, double* bdd) const {
    const double w = 2 * M_PI / period, tau = t - t0;
    b[0] = 1;
    bd[0] = bdd[0] = 0;
    for (int k = 1; k <= harmonics; ++k) {
        const double wk = w * k, c = std::cos(wk * tau), s = std::sin(wk * tau);
        b[2 * k - 1] = c;
        b[2 * k] = s;
        bd[2 * k - 1] = -wk * s;
        bd[2 * k] = wk * c;
        bdd[2 * k - 1] = -wk * wk * c;
        bdd[2 * k] = -wk * wk * s;
    }
}

void StrideDeviation::add(double t, double* q, double* qd, double* qdd) const {
    if (coords.empty()) return;
    const int nb = basisSize();
    std::vector<double> b(nb), bd(nb), bdd(nb);
    basis(t, b.data(), bd.data(), bdd.data());
    for (size_t j = 0; j < coords.size(); ++j) {
        double v = 0, vd = 0, vdd = 0;
        for (int k = 0; k < nb; ++k) {
            const double c = coeffs(static_cast<int>(j), k);
            v += c * b[k];
            vd += c * bd[k];
            vdd += c * bdd[k];
        }
        if (q) q[coords[j]] += v;
        if (qd) qd[coords[j]] += vd;
        if (qdd) qdd[coords[j]] += vdd;
    }
}

double StrideDeviation::value(int j, double t) const {
    const int nb = basisSize();
    std::vector<double> b(nb), bd(nb), bdd(nb);
    basis(t, b.data(), bd.data(), bdd.data());
    double v = 0;
    for (int k = 0; k < nb; ++k) v += coeffs(j, k) * b[k];
    return v;
}

GroundTransfer calcGroundTransfer(const Model& model, const SimTK::State& state, const double* delta_tau,
                                  const FootLoad feet[2]) {
    GroundTransfer out;
    double fy_total = 0;
    for (int f = 0; f < 2; ++f)
        if (feet[f].contact) fy_total += std::max(feet[f].force_G[1], 0.0);
    if (fy_total <= 0) return out;
    // The residual change as a wrench at the pelvis origin: any external wrench on the tree
    // produces the same six pelvis generalized forces as that wrench moved to the pelvis.
    SimTK::Vec3 M, F;
    pelvisWrench(model, state, delta_tau, M, F);
    const SimTK::Vec3 r_pelvis = model.matter().getMobilizedBody(model.bodyIndex("pelvis")).getBodyOriginLocation(state);
    for (int f = 0; f < 2; ++f) {
        if (!feet[f].contact) continue;
        const double share = std::max(feet[f].force_G[1], 0.0) / fy_total;
        const SimTK::Vec3 cop = model.matter().getMobilizedBody(feet[f].body).getBodyTransform(state) * feet[f].p_B;
        out.cop_G[f] = cop;
        out.force_G[f] = share * F;
        out.couple_G[f] = share * (M + SimTK::cross(r_pelvis - cop, F));
    }
    return out;
}

void transferMobilityForces(const Model& model, const SimTK::State& state, const GroundTransfer& transfer,
                            const FootLoad feet[2], SimTK::Vector& tau_u) {
    SimTK::Vector_<SimTK::SpatialVec> body_forces(model.matter().getNumBodies(), SimTK::SpatialVec(SimTK::Vec3(0), SimTK::Vec3(0)));
    for (int f = 0; f < 2; ++f) {
        if (!feet[f].contact) continue;
        const auto& foot = model.matter().getMobilizedBody(feet[f].body);
        const SimTK::Vec3 r = foot.getBodyOriginLocation(state);
        const SimTK::Vec3& F = transfer.force_G[f];
        body_forces[feet[f].body] += SimTK::SpatialVec(transfer.couple_G[f] + SimTK::cross(transfer.cop_G[f] - r, F), F);
    }
    model.matter().multiplyBySystemJacobianTranspose(state, body_forces, tau_u);
}

namespace {

class CompensatedReference : public ReferenceMotion {
public:
    CompensatedReference(const Model& model, std::shared_ptr<const ReferenceMotion> base, StrideDeviation dev, double dt)
        : base_(std::move(base)), dev_(std::move(dev)) {
        describeAs(*base_);
        const int n = std::max(1, static_cast<int>(std::ceil((t1_ - t0_) / dt - 1e-9)));
        dt_ = (t1_ - t0_) / n;
        samples_.resize(n + 1);
        if (dev_.isZero()) return;   // the measured stride: nothing to hand over
        const size_t nc = model.coordinates().size();
        const std::vector<int> pelvis = pelvisCoordinates(model);
        SimTK::State s = model.defaultState();
        model.forces().setExternalLoads(s, base_.get());
        model.forces().setMusclesEnabled(s, false);   // internal forces leave the pelvis residual alone
        std::vector<double> q(nc), qd(nc), qdd(nc), tau(nc), tau_base(nc);
        SimTK::Vector udot, tau_u;
        for (int k = 0; k <= n; ++k) {
            const double t = t0_ + k * dt_;
            s.setTime(t);
            for (int pass = 0; pass < 2; ++pass) {
                base_->coordinates(t, q.data(), qd.data(), qdd.data());
                if (pass == 1) dev_.add(t, q.data(), qd.data(), qdd.data());
                setCoordinateState(model, s, q.data(), qd.data());
                coordinateToMobility(model, qdd.data(), udot);
                calcMissingMobilityForces(model, s, udot, tau_u);
                mobilityToCoordinate(model, tau_u, pass == 0 ? tau_base.data() : tau.data());
            }
            double delta[6];
            for (int p = 0; p < 6; ++p) delta[p] = tau[pelvis[p]] - tau_base[pelvis[p]];
            FootLoad feet[2];
            base_->footLoads(t, feet[0], feet[1]);
            const GroundTransfer g = calcGroundTransfer(model, s, delta, feet);
            for (int f = 0; f < 2; ++f) {
                samples_[k].force[f] = g.force_G[f];
                samples_[k].couple[f] = g.couple_G[f];
            }
        }
    }

    void coordinates(double t, double* q, double* qd, double* qdd) const override {
        base_->coordinates(t, q, qd, qdd);
        dev_.add(t, q, qd, qdd);
    }

    void footLoads(double t, FootLoad& right, FootLoad& left) const override {
        base_->footLoads(t, right, left);
        // A periodic stride repeats its transfer before the window too (a run's warm-up).
        const double T = strideTime();
        if (T > 0 && t < t0_) t -= T * std::floor((t - t0_) / T);
        const double u = std::clamp((t - t0_) / dt_, 0.0, static_cast<double>(samples_.size() - 1));
        const size_t i = std::min(static_cast<size_t>(u), samples_.size() - 2);
        const double w = u - i;
        FootLoad* feet[2] = {&right, &left};
        for (int f = 0; f < 2; ++f) {
            if (!feet[f]->contact) continue;
            feet[f]->force_G += (1 - w) * samples_[i].force[f] + w * samples_[i + 1].force[f];
            feet[f]->couple_G += (1 - w) * samples_[i].couple[f] + w * samples_[i + 1].couple[f];
        }
    }

private:
    struct Sample {
        SimTK::Vec3 force[2] = {SimTK::Vec3(0), SimTK::Vec3(0)};
        SimTK::Vec3 couple[2] = {SimTK::Vec3(0), SimTK::Vec3(0)};
    };
    std::shared_ptr<const ReferenceMotion> base_;
    StrideDeviation dev_;
    double dt_ = 0.001;
    std::vector<Sample> samples_;
};

}  // namespace

std::shared_ptr<const ReferenceMotion> makeCompensatedReference(const Model& model,
                                                                std::shared_ptr<const ReferenceMotion> base,
                                                                const StrideDeviation& deviation, double sample_dt) {
    return std::make_shared<CompensatedReference>(model, std::move(base), deviation, sample_dt);
}

}  // namespace corestride
