// The built-in periodic running stride as a ReferenceMotion, and its corrections for
// dynamic consistency with the model.
#include <cmath>

#include <Eigen/Dense>

#include "error.h"
#include "inverse_dynamics.h"
#include "model_forces.h"
#include "reference_motion.h"

namespace corestride {
namespace {

constexpr double kGravity = 9.80665;   // m/s^2, as in the model's gravity

// One foot's ground-reaction curves.
struct FootCurves {
    StanceCurve vx, vy, vz, ty, cop_x, cop_y, cop_z;   // COP in the foot (calcaneus) frame
    double shift = 0;        // phase shift (0.5 for the left foot of a symmetric stride)
    double mirror = 1;       // -1 negates the lateral components (left foot of a symmetric stride)
    SimTK::MobilizedBodyIndex body;
};

class StrideReference : public ReferenceMotion {
public:
    StrideReference(const Model& model, const StrideTrial& trial, const StrideOptions& opt);
    void coordinates(double t, double* q, double* qd, double* qdd) const override;
    void footLoads(double t, FootLoad& right, FootLoad& left) const override;
    void correct();

private:
    void footLoad(double t, const FootCurves& f, FootLoad& out) const;
    // Pelvis generalized residuals at n samples over one stride (rows: samples, cols: 6).
    Eigen::MatrixXd strideResiduals(int n, std::vector<Eigen::Matrix<double, 6, 6>>* Mpp) const;
    const Model& model_;
    double period_ = 1;
    std::vector<FourierCurve> curves_;   // per model coordinate
    FootCurves feet_[2];
    std::vector<int> pelvis_;
    int ext_ = -1, bend_ = -1;
    double length_scale_ = 1;   // the foot-frame COP scales with the subject like the model
    double cop_dx_ = 0;         // m, fore-aft shift of the COP in the foot frame (consistency correction)
};

const FourierCurve& pick(const std::map<std::string, FourierCurve>& m, const std::string& name) {
    auto it = m.find(name);
    if (it == m.end()) throw UserError("built-in stride: no curve for coordinate '" + name + "'");
    return it->second;
}

// The same curve half a cycle later: coefficient k picks up (-1)^k.
FourierCurve shiftHalf(FourierCurve c) {
    for (size_t k = 0; k < c.a.size(); ++k)
        if ((k + 1) % 2 == 1) { c.a[k] = -c.a[k]; c.b[k] = -c.b[k]; }
    return c;
}

StrideReference::StrideReference(const Model& model, const StrideTrial& trial, const StrideOptions& opt)
    : model_(model) {
    period_ = trial.stride_time;
    stride_time_ = period_;
    t0_ = 0;
    t1_ = period_ * opt.strides;
    belt_speed_ = trial.speed;
    body_weight_ = model.subject().mass * kGravity;
    pelvis_ = pelvisCoordinates(model);
    ext_ = model.coordinateIndex("lumbar_extension");
    bend_ = model.coordinateIndex("lumbar_bending");
    for (const Coordinate& c : model.coordinates()) {
        std::string name = c.name;
        if (!opt.symmetric) { curves_.push_back(pick(trial.raw, name)); continue; }
        const size_t n = name.size();
        const bool left = n > 2 && name.compare(n - 2, 2, "_l") == 0;
        const bool right = n > 2 && name.compare(n - 2, 2, "_r") == 0;
        if (left || right) {
            const FourierCurve& sym = pick(trial.symmetric, name.substr(0, n - 2));
            curves_.push_back(left ? shiftHalf(sym) : sym);
        } else {
            curves_.push_back(pick(trial.symmetric, name));
        }
    }
    const char* comps[] = {"vx", "vy", "vz", "ty", "copfoot_x", "copfoot_y", "copfoot_z"};
    for (int side = 0; side < 2; ++side) {
        FootCurves& f = feet_[side];
        const std::string foot = opt.symmetric ? "sym" : (side == 0 ? "r" : "l");
        StanceCurve* dst[] = {&f.vx, &f.vy, &f.vz, &f.ty, &f.cop_x, &f.cop_y, &f.cop_z};
        for (int k = 0; k < 7; ++k) {
            auto it = trial.grf.find(foot + "." + comps[k]);
            if (it == trial.grf.end()) throw UserError(std::string("built-in stride: no GRF curve ") + foot + "." + comps[k]);
            *dst[k] = it->second;
        }
        f.shift = (opt.symmetric && side == 1) ? 0.5 : 0.0;
        f.mirror = (opt.symmetric && side == 1) ? -1.0 : 1.0;
        f.body = model.bodyIndex(side == 0 ? "foot_r" : "foot_l");
    }
    diagnostics_.push_back({"stride_time_s", period_});
    diagnostics_.push_back({"belt_speed_m_per_s", belt_speed_});
    length_scale_ = model.lengthScale();
}

void StrideReference::coordinates(double t, double* q, double* qd, double* qdd) const {
    const double phi = t / period_;
    for (size_t c = 0; c < curves_.size(); ++c) curves_[c].evaluate(phi, period_, q[c], qd[c], qdd[c]);
}

// The centre of pressure is given in the foot (calcaneus) frame, fitted to the runner's foot
// markers (docs/running_stride.md); in ground it is reported only, and the force is applied
// at that foot point. The cop_G reported assumes the state is the reference's.
void StrideReference::footLoad(double t, const FootCurves& f, FootLoad& out) const {
    out = FootLoad{};
    out.body = f.body;
    const double s = f.vy.stanceFraction(t / period_ - f.shift);
    if (s < 0) return;
    out.contact = true;
    const double w = body_weight_;
    out.force_G = SimTK::Vec3(f.vx.evaluate(s), f.vy.evaluate(s), f.mirror * f.vz.evaluate(s)) * w;
    out.free_moment = f.mirror * f.ty.evaluate(s) * w;
    out.p_B = SimTK::Vec3(f.cop_x.evaluate(s) + cop_dx_, f.cop_y.evaluate(s), f.mirror * f.cop_z.evaluate(s)) * length_scale_;
}

void StrideReference::footLoads(double t, FootLoad& right, FootLoad& left) const {
    footLoad(t, feet_[0], right);
    footLoad(t, feet_[1], left);
}

Eigen::MatrixXd StrideReference::strideResiduals(int n, std::vector<Eigen::Matrix<double, 6, 6>>* Mpp) const {
    SimTK::State s = model_.defaultState();
    model_.forces().setExternalLoads(s, this);
    model_.forces().setMusclesEnabled(s, false);   // internal forces: no pelvis residual
    const size_t nc = curves_.size();
    std::vector<double> q(nc), qd(nc), qdd(nc), tau(nc);
    Eigen::MatrixXd r(n, 6);
    SimTK::Vector udot;
    SimTK::Matrix M;
    for (int i = 0; i < n; ++i) {
        const double t = period_ * i / n;
        s.setTime(t);
        coordinates(t, q.data(), qd.data(), qdd.data());
        setCoordinateState(model_, s, q.data(), qd.data());
        coordinateToMobility(model_, qdd.data(), udot);
        calcMissingForces(model_, s, udot, tau.data());
        for (int k = 0; k < 6; ++k) r(i, k) = tau[pelvis_[k]];
        if (Mpp) {
            model_.matter().calcM(s, M);
            Eigen::Matrix<double, 6, 6> m;
            for (int a = 0; a < 6; ++a)
                for (int b = 0; b < 6; ++b)
                    m(a, b) = M(model_.coordinates()[pelvis_[a]].u[0], model_.coordinates()[pelvis_[b]].u[0]);
            Mpp->push_back(m);
        }
    }
    return r;
}

// Residual reduction (see the header), as a damped Gauss-Newton least-squares problem.
// Unknowns: the Fourier coefficients (harmonics 1..K) of corrections to the six pelvis
// coordinates, an offset of the mean lumbar extension (trunk lean: moves the torso mass
// centre) and a fore-aft shift of the centre of pressure in the foot frame (registration of
// the runner's foot to the model's). Residuals: the six
// pelvis generalized forces at n samples over the stride (moments divided by 1 m so that
// N and N m weigh alike, after Hicks et al. 2015's "1% of COM height x force" for moments
// against 5% of force). Each sample's sensitivity to its own q, qdot, qddot comes from
// finite differences; the chain rule through the Fourier basis gives the Jacobian. The two
// static unknowns are regularised: a lean of 2 deg or a COP shift of 2 cm (Hicks et al.'s
// tracking thresholds) costs as much as an RMS residual of 1% of COM height x peak force.
void StrideReference::correct() {
    const int n = 128, K = 16, nP = 6;
    const int nu_coef = nP * 2 * K + 2;              // a_k, b_k per pelvis coordinate, lumbar mean, COP shift
    auto summarise = [&](const Eigen::MatrixXd& r, const std::string& tag) {
        double fmax = 0, mmax = 0, frms = 0, mrms = 0;
        for (int i = 0; i < r.rows(); ++i) {
            const double f = r.row(i).tail(3).norm(), m = r.row(i).head(3).norm();
            fmax = std::max(fmax, f); mmax = std::max(mmax, m);
            frms += f * f; mrms += m * m;
        }
        diagnostics_.push_back({"residual_force_max_N_" + tag, fmax});
        diagnostics_.push_back({"residual_force_rms_N_" + tag, std::sqrt(frms / r.rows())});
        diagnostics_.push_back({"residual_moment_max_Nm_" + tag, mmax});
        diagnostics_.push_back({"residual_moment_rms_Nm_" + tag, std::sqrt(mrms / r.rows())});
    };
    for (int k : pelvis_) {   // room for the correction harmonics
        curves_[k].a.resize(std::max<size_t>(curves_[k].a.size(), K), 0.0);
        curves_[k].b.resize(std::max<size_t>(curves_[k].b.size(), K), 0.0);
    }
    summarise(strideResiduals(256, nullptr), "raw");
    const double ext_mean0 = curves_[ext_].a0;
    double peak_force = 0;   // peak external force, N
    for (int i = 0; i < 256; ++i) {
        FootLoad fr, fl;
        footLoads(period_ * i / 256, fr, fl);
        peak_force = std::max(peak_force, (fr.force_G + fl.force_G).norm());
    }

    const size_t nc = curves_.size();
    SimTK::State st = model_.defaultState();
    model_.forces().setExternalLoads(st, this);
    model_.forces().setMusclesEnabled(st, false);
    std::vector<double> q(nc), qd(nc), qdd(nc), tau(nc);
    SimTK::Vector udot;
    const double w = 2 * M_PI / period_;
    auto residualAt = [&](double t) {
        st.setTime(t);
        setCoordinateState(model_, st, q.data(), qd.data());
        coordinateToMobility(model_, qdd.data(), udot);
        calcMissingForces(model_, st, udot, tau.data());
        Eigen::Matrix<double, 6, 1> r;
        for (int k = 0; k < 6; ++k) r[k] = tau[pelvis_[k]];
        return r;
    };
    for (int iter = 0; iter < 4; ++iter) {
        Eigen::MatrixXd J(6 * n, nu_coef);
        Eigen::VectorXd r(6 * n);
        for (int i = 0; i < n; ++i) {
            const double t = period_ * i / n, phi = static_cast<double>(i) / n;
            coordinates(t, q.data(), qd.data(), qdd.data());
            const Eigen::Matrix<double, 6, 1> r0 = residualAt(t);
            r.segment<6>(6 * i) = r0;
            // Sensitivities to the pelvis q, qdot, qddot and the lumbar means at this sample.
            Eigen::Matrix<double, 6, 6> Dq, Dqd, Dqdd;
            for (int j = 0; j < nP; ++j) {
                double* vars[3] = {&q[pelvis_[j]], &qd[pelvis_[j]], &qdd[pelvis_[j]]};
                Eigen::Matrix<double, 6, 6>* D[3] = {&Dq, &Dqd, &Dqdd};
                for (int d = 0; d < 3; ++d) {
                    const double h = d == 0 ? 1e-5 : 1e-3, keep = *vars[d];
                    *vars[d] = keep + h;
                    D[d]->col(j) = (residualAt(t) - r0) / h;
                    *vars[d] = keep;
                }
            }
            q[ext_] += 1e-5;
            J.block<6, 1>(6 * i, nP * 2 * K) = (residualAt(t) - r0) / 1e-5;
            q[ext_] -= 1e-5;
            cop_dx_ += 1e-5;
            J.block<6, 1>(6 * i, nP * 2 * K + 1) = (residualAt(t) - r0) / 1e-5;
            cop_dx_ -= 1e-5;
            // Chain rule: dq = a cos(th) + b sin(th), th = 2 pi k phi; qdot, qddot by w k.
            for (int j = 0; j < nP; ++j)
                for (int k = 1; k <= K; ++k) {
                    const double th = 2 * M_PI * k * phi, c = std::cos(th), sn = std::sin(th), wk = w * k;
                    const Eigen::Matrix<double, 6, 1> da = Dq.col(j) * c - Dqd.col(j) * wk * sn - Dqdd.col(j) * wk * wk * c;
                    const Eigen::Matrix<double, 6, 1> db = Dq.col(j) * sn + Dqd.col(j) * wk * c - Dqdd.col(j) * wk * wk * sn;
                    J.block<6, 1>(6 * i, (j * K + k - 1) * 2) = da;
                    J.block<6, 1>(6 * i, (j * K + k - 1) * 2 + 1) = db;
                }
        }
        // Damped least squares; the damping keeps kinematic changes small (Hicks et al. 2015:
        // a few degrees and centimetres).
        Eigen::MatrixXd A = J.transpose() * J;
        A.diagonal() *= 1.0 + 1e-3;   // Levenberg-Marquardt damping, scaled per unknown
        Eigen::VectorXd g = J.transpose() * r;
        // Priors on the static unknowns (per-sample residual weight n; see above).
        const double R = 0.01 * 1.0 * peak_force, scales[2] = {2 * M_PI / 180, 0.02};
        const double current[2] = {curves_[ext_].a0 - ext_mean0, cop_dx_};
        for (int j = 0; j < 2; ++j) {
            const double mu = n * (R / scales[j]) * (R / scales[j]);
            A(nP * 2 * K + j, nP * 2 * K + j) += mu;
            g[nP * 2 * K + j] += mu * current[j];
        }
        const Eigen::VectorXd step = -A.ldlt().solve(g);
        for (int j = 0; j < nP; ++j)
            for (int k = 1; k <= K; ++k) {
                curves_[pelvis_[j]].a[k - 1] += step[(j * K + k - 1) * 2];
                curves_[pelvis_[j]].b[k - 1] += step[(j * K + k - 1) * 2 + 1];
            }
        curves_[ext_].a0 += step[nP * 2 * K];
        cop_dx_ += step[nP * 2 * K + 1];
    }
    summarise(strideResiduals(256, nullptr), "corrected");
    diagnostics_.push_back({"peak_external_force_N", peak_force});
    diagnostics_.push_back({"lumbar_extension_mean_change_deg", (curves_[ext_].a0 - ext_mean0) * 180 / M_PI});
    diagnostics_.push_back({"cop_shift_in_foot_m", cop_dx_});
}

}  // namespace

void strideRunnerLegFactors(const ModelDescription& desc, double& thigh, double& shank) {
    thigh = shank = 1.0;
    for (const JointDesc& j : desc.joints) {
        const double length = std::sqrt(j.location_in_parent[0] * j.location_in_parent[0] +
                                        j.location_in_parent[1] * j.location_in_parent[1] +
                                        j.location_in_parent[2] * j.location_in_parent[2]);
        if (!(length > 0)) continue;
        const double model_ratio = length / desc.reference_height;
        if (j.name == "knee_r") thigh = StrideRunner::hip_to_knee / StrideRunner::height / model_ratio;
        if (j.name == "ankle_r") shank = StrideRunner::knee_to_ankle / StrideRunner::height / model_ratio;
    }
}

std::unique_ptr<ReferenceMotion> makeStrideReference(const Model& model, const std::vector<StrideTrial>& trials,
                                                     const StrideOptions& opt) {
    auto ref = std::make_unique<StrideReference>(model, interpolateStride(trials, opt.speed), opt);
    if (opt.correct) ref->correct();
    return ref;
}

}  // namespace corestride
