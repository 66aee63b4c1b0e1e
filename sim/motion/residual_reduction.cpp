// Residual reduction for any reference motion (see the header).
#include "residual_reduction.h"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>

#include "error.h"
#include "inverse_dynamics.h"
#include "model_forces.h"

namespace corestride {
namespace {

constexpr double kHicksForce = 0.05;    // of the peak external force (Hicks et al. 2015, §3.1.3)
constexpr double kHicksMoment = 0.01;   // of COM height x the peak external force (same)

// Uniform cubic B-spline basis on [t0, t0 + nseg h]: the coefficient indices of the four
// nonzero basis functions at t, their values and first and second time derivatives. A
// clamped spline (nseg + 3 coefficients) holds its end values outside the window; a periodic
// one (nseg coefficients, period nseg h) repeats, so that a run can start before the window
// (a warm-up, docs/simulation.md) on corrections that continue smoothly into it.
struct Basis {
    int idx[4];
    double v[4], d1[4], d2[4];
};

Basis basisAt(double t, double t0, double h, int nseg, bool periodic) {
    Basis b;
    double u = (t - t0) / h;
    if (periodic) u -= nseg * std::floor(u / nseg);
    u = std::min(std::max(u, 0.0), static_cast<double>(nseg));
    int i = std::min(static_cast<int>(std::floor(u)), nseg - 1);
    const double s = u - i, r = 1 - s;
    for (int k = 0; k < 4; ++k) b.idx[k] = periodic ? (i + k) % nseg : i + k;
    b.v[0] = r * r * r / 6;
    b.v[1] = (3 * s * s * s - 6 * s * s + 4) / 6;
    b.v[2] = (-3 * s * s * s + 3 * s * s + 3 * s + 1) / 6;
    b.v[3] = s * s * s / 6;
    b.d1[0] = -r * r / 2 / h;
    b.d1[1] = (3 * s * s - 4 * s) / 2 / h;
    b.d1[2] = (-3 * s * s + 2 * s + 1) / 2 / h;
    b.d1[3] = s * s / 2 / h;
    b.d2[0] = r / (h * h);
    b.d2[1] = (3 * s - 2) / (h * h);
    b.d2[2] = (1 - 3 * s) / (h * h);
    b.d2[3] = s / (h * h);
    return b;
}

// A reference with smooth additive corrections of some coordinates; ground reactions and
// everything else from the base reference.
class CorrectedReference : public ReferenceMotion {
public:
    CorrectedReference(std::shared_ptr<const ReferenceMotion> base, std::vector<int> coords, double h)
        : base_(std::move(base)), coords_(std::move(coords)), h_(h) {
        describeAs(*base_);
        // A periodic base whose window holds whole strides gets periodic corrections of one
        // stride (its residuals repeat every stride, and so does the least-squares fit).
        const double T = base_->strideTime(), m = T > 0 ? (t1_ - t0_) / T : 0;
        periodic_ = m >= 1 - 1e-9 && std::abs(m - std::round(m)) < 1e-6;
        const double span = periodic_ ? T : t1_ - t0_;
        nseg_ = std::max(periodic_ ? 4 : 1, static_cast<int>(std::ceil(span / h_ - 1e-9)));
        if (periodic_) h_ = span / nseg_;
        coef_.assign(coords_.size(), Eigen::VectorXd::Zero(basisSize()));
    }
    void coordinates(double t, double* q, double* qd, double* qdd) const override {
        base_->coordinates(t, q, qd, qdd);
        if (!periodic_ && (t < t0_ || t > t1_)) return correctAt(std::min(std::max(t, t0_), t1_), q, nullptr, nullptr);
        correctAt(t, q, qd, qdd);
    }
    int basisSize() const { return periodic_ ? nseg_ : nseg_ + 3; }
    Basis basis(double t) const { return basisAt(t, t0_, h_, nseg_, periodic_); }
    void footLoads(double t, FootLoad& right, FootLoad& left) const override { base_->footLoads(t, right, left); }

    // Correction of coordinate slot j at t (value, rate, acceleration).
    void correctAt(double t, double* q, double* qd, double* qdd) const {
        const Basis b = basis(t);
        for (size_t j = 0; j < coords_.size(); ++j) {
            double v = 0, d1 = 0, d2 = 0;
            for (int k = 0; k < 4; ++k) {
                const double c = coef_[j][b.idx[k]];
                v += c * b.v[k]; d1 += c * b.d1[k]; d2 += c * b.d2[k];
            }
            q[coords_[j]] += v;
            if (qd) qd[coords_[j]] += d1;
            if (qdd) qdd[coords_[j]] += d2;
        }
    }
    void addDiagnostic(const std::string& name, double value) { diagnostics_.push_back({name, value}); }

    std::shared_ptr<const ReferenceMotion> base_;
    std::shared_ptr<const Model> base_model_;   // the base may refer to it
    std::vector<int> coords_;
    double h_;
    int nseg_ = 1;
    bool periodic_ = false;
    std::vector<Eigen::VectorXd> coef_;
};

// Inverse-dynamics evaluator of the pelvis generalized residual on one model.
struct Evaluator {
    Evaluator(const Model& m, const ExternalLoadSource* loads) : model(m), state(m.defaultState()) {
        model.forces().setExternalLoads(state, loads);
        model.forces().setMusclesEnabled(state, false);   // internal forces: no pelvis residual
        pelvis = pelvisCoordinates(model);
        const size_t nc = model.coordinates().size();
        q.resize(nc); qd.resize(nc); qdd.resize(nc); tau.resize(nc);
    }
    Eigen::Matrix<double, 6, 1> residual(double t) {
        state.setTime(t);
        setCoordinateState(model, state, q.data(), qd.data());
        coordinateToMobility(model, qdd.data(), udot);
        calcMissingForces(model, state, udot, tau.data());
        Eigen::Matrix<double, 6, 1> r;
        for (int k = 0; k < 6; ++k) r[k] = tau[pelvis[k]];
        return r;
    }
    // Ground-frame moment (rows 0-2) and force (rows 3-5) from the generalized residual at
    // the current state (after residual()).
    Eigen::Matrix<double, 6, 6> wrenchMap() {
        Eigen::Matrix<double, 6, 6> W;
        for (int k = 0; k < 6; ++k) {
            double e[6] = {0, 0, 0, 0, 0, 0};
            e[k] = 1;
            SimTK::Vec3 m, f;
            pelvisWrench(model, state, e, m, f);
            for (int a = 0; a < 3; ++a) { W(a, k) = m[a]; W(3 + a, k) = f[a]; }
        }
        return W;
    }
    const Model& model;
    SimTK::State state;
    std::vector<int> pelvis;
    std::vector<double> q, qd, qdd, tau;
    SimTK::Vector udot;
};

std::vector<double> sampleTimes(const ReferenceMotion& ref, double rate) {
    const double t0 = ref.startTime(), t1 = ref.endTime();
    const int n = std::max(2, static_cast<int>(std::lround((t1 - t0) * rate)) + 1);
    std::vector<double> t(n);
    for (int i = 0; i < n; ++i) t[i] = t0 + (t1 - t0) * i / (n - 1);
    return t;
}

void addStats(CorrectedReference& ref, const ResidualStats& s, const std::string& tag) {
    ref.addDiagnostic("rra_residual_force_max_N_" + tag, s.force_max);
    ref.addDiagnostic("rra_residual_force_rms_N_" + tag, s.force_rms);
    ref.addDiagnostic("rra_residual_moment_max_Nm_" + tag, s.moment_max);
    ref.addDiagnostic("rra_residual_moment_rms_Nm_" + tag, s.moment_rms);
}

std::shared_ptr<const Model> buildWith(const ModelDescription& desc, const Subject& subject, const BuildOptions& build,
                                       int torso, double dx, double dz) {
    ModelDescription d = desc;
    if (torso >= 0) {
        d.bodies[torso].com[0] += dx;
        d.bodies[torso].com[2] += dz;
    }
    return Model::build(d, subject, build);
}

}  // namespace

ResidualStats referenceResiduals(const Model& model, const ReferenceMotion& ref, double sample_rate) {
    ResidualStats s;
    Evaluator ev(model, &ref);
    const std::vector<double> ts = sampleTimes(ref, sample_rate);
    const int n = static_cast<int>(ts.size());
    double fss = 0, mss = 0, com_y = 0;
    for (double t : ts) {
        ref.coordinates(t, ev.q.data(), ev.qd.data(), ev.qdd.data());
        const Eigen::Matrix<double, 6, 1> tau = ev.residual(t);
        SimTK::Vec3 m, f;
        pelvisWrench(model, ev.state, tau.data(), m, f);
        s.force_max = std::max(s.force_max, f.norm());
        s.moment_max = std::max(s.moment_max, m.norm());
        fss += f.normSqr();
        mss += m.normSqr();
        for (int a = 0; a < 3; ++a) { s.force_mean[a] += f[a] / n; s.moment_mean[a] += m[a] / n; }
        FootLoad r, l;
        ref.footLoads(t, r, l);
        s.peak_external_force = std::max(s.peak_external_force, (r.force_G + l.force_G).norm());
        com_y += model.matter().calcSystemMassCenterLocationInGround(ev.state)[1] / n;
    }
    s.force_rms = std::sqrt(fss / n);
    s.moment_rms = std::sqrt(mss / n);
    s.com_height = com_y;
    return s;
}

ResidualReduction reduceResiduals(const ModelDescription& desc, const Subject& subject, const BuildOptions& build,
                                  std::shared_ptr<const ReferenceMotion> base, std::shared_ptr<const Model> base_model,
                                  const ResidualReductionOptions& opt) {
    if (!(opt.mass_change_limit >= 0 && opt.com_shift_limit >= 0 && opt.knot_spacing > 0 && opt.sample_rate > 0))
        throw UserError("residual reduction: limits must be >= 0 and knot spacing, sample rate > 0");
    auto out = std::make_shared<CorrectedReference>(base, std::vector<int>{}, opt.knot_spacing);
    out->base_model_ = std::move(base_model);
    std::shared_ptr<const Model> model = Model::build(desc, subject, build);
    const ResidualStats raw = referenceResiduals(*model, *base, opt.sample_rate);
    addStats(*out, raw, "raw");

    // 1. Total mass. With every segment mass scaled by k the body's m (a - g) scales by k;
    // the external force does not. Mean vertical residual zero: k = mean Fy_ext / mean (Fy_ext + R_y).
    double fy_ext = 0;
    {
        const std::vector<double> ts = sampleTimes(*base, opt.sample_rate);
        for (double t : ts) {
            FootLoad r, l;
            base->footLoads(t, r, l);
            fy_ext += (r.force_G[1] + l.force_G[1]) / ts.size();
        }
    }
    const double denom = fy_ext + raw.force_mean[1];
    double kmass = denom > 0 ? fy_ext / denom : 1.0;
    const double k_wanted = kmass;
    kmass = std::min(std::max(kmass, 1 - opt.mass_change_limit), 1 + opt.mass_change_limit);
    Subject adjusted = subject;
    adjusted.mass = subject.mass * kmass;
    out->addDiagnostic("rra_mass_change_kg", adjusted.mass - subject.mass);
    out->addDiagnostic("rra_mass_change_wanted_kg", subject.mass * (k_wanted - 1));
    out->addDiagnostic("rra_mass_change_limited", kmass != k_wanted ? 1.0 : 0.0);
    model = Model::build(desc, adjusted, build);

    // 2. Torso mass centre: mean residual moments about ground x (roll) and z (pitch) are
    // linear in the torso COM offset (gravity and the inertial terms of a moved point mass).
    int torso = -1;
    for (size_t b = 0; b < desc.bodies.size(); ++b)
        if (desc.bodies[b].name == "torso") torso = static_cast<int>(b);
    double dx = 0, dz = 0, dx_wanted = 0, dz_wanted = 0;
    if (torso >= 0) {
        const double ls = model->lengthScale(), hstep = 0.01 / ls;   // 1 cm in the scaled model
        const ResidualStats s0 = referenceResiduals(*model, *base, opt.sample_rate);
        const ResidualStats sx = referenceResiduals(*buildWith(desc, adjusted, build, torso, hstep, 0), *base, opt.sample_rate);
        const ResidualStats sz = referenceResiduals(*buildWith(desc, adjusted, build, torso, 0, hstep), *base, opt.sample_rate);
        Eigen::Matrix2d J;
        J << (sx.moment_mean[0] - s0.moment_mean[0]) / hstep, (sz.moment_mean[0] - s0.moment_mean[0]) / hstep,
             (sx.moment_mean[2] - s0.moment_mean[2]) / hstep, (sz.moment_mean[2] - s0.moment_mean[2]) / hstep;
        const Eigen::Vector2d d = J.fullPivLu().solve(-Eigen::Vector2d(s0.moment_mean[0], s0.moment_mean[2]));
        dx_wanted = d[0];
        dz_wanted = d[1];
        const double lim = opt.com_shift_limit / ls;
        dx = std::min(std::max(dx_wanted, -lim), lim);
        dz = std::min(std::max(dz_wanted, -lim), lim);
        model = buildWith(desc, adjusted, build, torso, dx, dz);
        out->addDiagnostic("rra_torso_com_shift_x_m", dx * ls);
        out->addDiagnostic("rra_torso_com_shift_z_m", dz * ls);
        out->addDiagnostic("rra_torso_com_shift_wanted_x_m", dx_wanted * ls);
        out->addDiagnostic("rra_torso_com_shift_wanted_z_m", dz_wanted * ls);
        out->addDiagnostic("rra_torso_com_shift_limited", (dx != dx_wanted || dz != dz_wanted) ? 1.0 : 0.0);
    }
    const ResidualStats after_mass = referenceResiduals(*model, *base, opt.sample_rate);
    addStats(*out, after_mass, "mass_adjusted");

    // 3. Kinematic corrections of the pelvis and the trunk.
    std::vector<int> coords = pelvisCoordinates(*model);
    for (const char* name : {"lumbar_extension", "lumbar_bending"}) {
        const int c = model->coordinateIndex(name);
        if (c >= 0) coords.push_back(c);
    }
    out->coords_ = coords;
    out->coef_.assign(coords.size(), Eigen::VectorXd::Zero(out->basisSize()));
    const int nj = static_cast<int>(coords.size()), nb = out->basisSize(), nu = nj * nb;
    const std::vector<double> ts = sampleTimes(*base, opt.sample_rate);
    const int n = static_cast<int>(ts.size());
    const double fpk = std::max(after_mass.peak_external_force, 1.0);
    const double hcom = std::max(after_mass.com_height, 0.5);
    Eigen::Matrix<double, 6, 1> norm;
    norm << 1 / (kHicksMoment * hcom * fpk), 1 / (kHicksMoment * hcom * fpk), 1 / (kHicksMoment * hcom * fpk),
        1 / (kHicksForce * fpk), 1 / (kHicksForce * fpk), 1 / (kHicksForce * fpk);
    std::vector<double> scale(nj), acc_scale(nj, 0.0);
    for (int j = 0; j < nj; ++j) {
        scale[j] = model->coordinates()[coords[j]].rotational ? opt.rotation_scale : opt.translation_scale;
        if (j >= 6) acc_scale[j] = opt.trunk_acceleration_scale;   // lumbar coordinates
    }

    Evaluator ev(*model, out.get());
    for (int iter = 0; iter < opt.iterations; ++iter) {
        Eigen::MatrixXd A = Eigen::MatrixXd::Zero(nu, nu);
        Eigen::VectorXd g = Eigen::VectorXd::Zero(nu);
        for (int i = 0; i < n; ++i) {
            const double t = ts[i];
            out->coordinates(t, ev.q.data(), ev.qd.data(), ev.qdd.data());
            const Eigen::Matrix<double, 6, 1> tau0 = ev.residual(t);
            const Eigen::Matrix<double, 6, 6> W = norm.asDiagonal() * ev.wrenchMap();
            const Eigen::Matrix<double, 6, 1> r0 = W * tau0;
            // Sensitivities of the normalised residual to each corrected coordinate's q, qdot, qddot.
            Eigen::MatrixXd D(6, 3 * nj);
            for (int j = 0; j < nj; ++j) {
                double* vars[3] = {&ev.q[coords[j]], &ev.qd[coords[j]], &ev.qdd[coords[j]]};
                for (int d = 0; d < 3; ++d) {
                    const double h = d == 0 ? 1e-6 : 1e-3, keep = *vars[d];
                    *vars[d] = keep + h;
                    D.col(3 * j + d) = W * (ev.residual(t) - tau0) / h;
                    *vars[d] = keep;
                }
            }
            const Basis b = out->basis(t);
            Eigen::MatrixXd Ji = Eigen::MatrixXd::Zero(6, nj * 4);   // columns: coordinate j, basis k
            for (int j = 0; j < nj; ++j)
                for (int k = 0; k < 4; ++k)
                    Ji.col(j * 4 + k) = D.col(3 * j) * b.v[k] + D.col(3 * j + 1) * b.d1[k] + D.col(3 * j + 2) * b.d2[k];
            const Eigen::MatrixXd JtJ = Ji.transpose() * Ji;
            const Eigen::VectorXd Jtr = Ji.transpose() * r0;
            for (int a = 0; a < nj * 4; ++a) {
                const int ia = (a / 4) * nb + b.idx[a % 4];
                g[ia] += Jtr[a];
                for (int c = 0; c < nj * 4; ++c) A(ia, (c / 4) * nb + b.idx[c % 4]) += JtJ(a, c);
            }
            // The penalties on the size of each correction at this sample and, for the trunk,
            // on its acceleration.
            for (int j = 0; j < nj; ++j) {
                const double* basis[2] = {b.v, b.d2};
                const double w[2] = {opt.correction_weight / (scale[j] * scale[j]),
                                     acc_scale[j] > 0 ? opt.correction_weight / (acc_scale[j] * acc_scale[j]) : 0.0};
                for (int p = 0; p < 2; ++p) {
                    if (w[p] == 0) continue;
                    double v = 0;
                    for (int k = 0; k < 4; ++k) v += out->coef_[j][b.idx[k]] * basis[p][k];
                    for (int k = 0; k < 4; ++k) {
                        g[j * nb + b.idx[k]] += w[p] * v * basis[p][k];
                        for (int l = 0; l < 4; ++l)
                            A(j * nb + b.idx[k], j * nb + b.idx[l]) += w[p] * basis[p][k] * basis[p][l];
                    }
                }
            }
        }
        A.diagonal() *= 1.0 + 1e-3;   // Levenberg-Marquardt damping, scaled per unknown
        const Eigen::VectorXd step = -A.ldlt().solve(g);
        if (!step.allFinite()) throw std::runtime_error("residual reduction: the correction step is not finite");
        for (int j = 0; j < nj; ++j) out->coef_[j] += step.segment(j * nb, nb);
    }
    const ResidualStats after = referenceResiduals(*model, *out, opt.sample_rate);
    addStats(*out, after, "corrected");
    out->addDiagnostic("rra_peak_external_force_N", after.peak_external_force);
    out->addDiagnostic("rra_com_height_m", after.com_height);
    // Size of the kinematic corrections, per coordinate (RMS and peak over the samples).
    for (int j = 0; j < nj; ++j) {
        const Coordinate& c = model->coordinates()[coords[j]];
        const double f = c.rotational ? 180 / M_PI : 100.0;
        double ss = 0, mx = 0;
        for (double t : ts) {
            const Basis b = out->basis(t);
            double v = 0;
            for (int k = 0; k < 4; ++k) v += out->coef_[j][b.idx[k]] * b.v[k];
            ss += v * v * f * f;
            mx = std::max(mx, std::abs(v) * f);
        }
        const std::string unit = c.rotational ? "_deg" : "_cm";
        out->addDiagnostic("rra_correction_rms_" + c.name + unit, std::sqrt(ss / n));
        out->addDiagnostic("rra_correction_max_" + c.name + unit, mx);
    }
    return ResidualReduction{model, out};
}

}  // namespace corestride
