// Prediction of a compensated stride (see the header and docs/compensation.md).
#include "stride_prediction.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <iomanip>
#include <memory>
#include <mutex>
#include <sstream>

#include <IpIpoptApplication.hpp>
#include <IpTNLP.hpp>

#include "balance_rows.h"
#include "inverse_dynamics.h"
#include "model_forces.h"
#include "moment_arms.h"
#include "qp_solver.h"

namespace corestride {
namespace {

// Drillis, Contini & Bluestein 1964 (Artif Limbs 8:44), as tabulated by Winter 2009 (fig. 4.1):
constexpr double kFootLength = 0.152;    // of body height
constexpr double kFootBreadth = 0.055;   // of body height
constexpr int kFootOut = 6;              // per foot: COP point x y z (m), couple x, couple z (N m), vertical force (N)

using Clock = std::chrono::steady_clock;
double seconds(Clock::time_point a) { return std::chrono::duration<double>(Clock::now() - a).count(); }

// The mechanics of one node pose: the static optimisation's matrix A (muscle columns) and
// right-hand side b, and the stance feet's quantities, for the scenario's muscles. One per
// problem; it owns the State it poses.
class NodeMechanics {
public:
    NodeMechanics(const Model& model, const ReferenceMotion& ref, const CmcOptions& opt, const std::vector<BalanceRow>& rows)
        : model_(model), rows_(rows), nm_(static_cast<int>(model.muscles().size())), s_(model.defaultState()) {
        const size_t nc = model.coordinates().size();
        model.forces().setExternalLoads(s_, &ref);
        const std::vector<double> ones(nm_, 1.0);
        model.forces().setStrength(s_, opt.strength.empty() ? ones : opt.strength);
        model.forces().setLengthScale(s_, opt.length_scale.empty() ? ones : opt.length_scale);
        model.forces().setActivations(s_, std::vector<double>(nm_, 0.0));   // b then holds the passive forces
        // A pose has no fibre-length state: elastic (Achilles) tendons are taken as rigid here,
        // as every tendon was before they became elastic (docs/compensation.md). The tracking
        // of the predicted stride uses the elastic tendons.
        model.forces().setRigidTendons(s_, true);
        pelvis_ = pelvisCoordinates(model);
        tau_c_.resize(nc);
    }

    void setPose(double t, const double* q, const double* qd) {
        s_.setTime(t);
        setCoordinateState(model_, s_, q, qd);
        model_.system().realize(s_, SimTK::Stage::Dynamics);
    }

    // Muscle columns of the equality rows: moment arm x force per unit activation. With
    // same_positions, the moment arms of the previous call are reused (only the rates changed).
    void computeA(Eigen::MatrixXd& A, bool same_positions = false) {
        if (!same_positions) calcMomentArmMatrix(model_, s_, ma_, R_, &R_u_);
        const auto& ms = model_.forces().getMuscleStates(s_);
        A.resize(static_cast<int>(rows_.size()), nm_);
        for (size_t e = 0; e < rows_.size(); ++e)
            for (int i = 0; i < nm_; ++i)
                A(e, i) = (rows_[e].mob < 0 ? R_(rows_[e].coord, i) : R_u_(rows_[e].mob, i)) * ms[i].force_gain;
    }

    // What muscles and reserves must supply for accelerations qdd at the current pose, with the
    // pelvis residual change handed to the stance feet (tau_pelvis_base: the measured
    // stride's pelvis generalized forces at this time), and the feet's quantities.
    void computeB(const double* qdd, const double* tau_pelvis_base, const FootLoad feet[2], Eigen::VectorXd& b,
                  double* foot) {
        coordinateToMobility(model_, qdd, udot_);
        calcMissingMobilityForces(model_, s_, udot_, tau_u_);
        mobilityToCoordinate(model_, tau_u_, tau_c_.data());
        double delta[6];
        for (int p = 0; p < 6; ++p) delta[p] = tau_c_[pelvis_[p]] - tau_pelvis_base[p];
        const GroundTransfer g = calcGroundTransfer(model_, s_, delta, feet);
        transferMobilityForces(model_, s_, g, feet, tau_t_);
        tau_u_ -= tau_t_;
        mobilityToCoordinate(model_, tau_u_, tau_c_.data());
        b.resize(static_cast<int>(rows_.size()));
        for (size_t e = 0; e < rows_.size(); ++e) b[e] = rows_[e].mob < 0 ? tau_c_[rows_[e].coord] : tau_u_[rows_[e].mob];
        for (int f = 0; f < 2; ++f) {
            double* o = foot + kFootOut * f;
            const SimTK::Vec3 cop = feet[f].contact ? g.cop_G[f] : SimTK::Vec3(0);
            o[0] = cop[0]; o[1] = cop[1]; o[2] = cop[2];
            o[3] = g.couple_G[f][0];
            o[4] = g.couple_G[f][2];
            o[5] = feet[f].force_G[1] + g.force_G[f][1];
        }
    }

    // The pelvis generalized forces of the current pose with accelerations qdd (measured loads).
    void pelvisForces(const double* qdd, double* tau_pelvis) {
        coordinateToMobility(model_, qdd, udot_);
        calcMissingMobilityForces(model_, s_, udot_, tau_u_);
        mobilityToCoordinate(model_, tau_u_, tau_c_.data());
        for (int p = 0; p < 6; ++p) tau_pelvis[p] = tau_c_[pelvis_[p]];
    }

private:
    const Model& model_;
    const std::vector<BalanceRow>& rows_;
    int nm_;
    SimTK::State s_;
    std::vector<int> pelvis_;
    MomentArmWorkspace ma_;
    Eigen::MatrixXd R_, R_u_;
    SimTK::Vector udot_, tau_u_, tau_t_;
    std::vector<double> tau_c_;
};

// One time node: the measured stride there, its static optimisation (solver warm-started
// from this node's previous solve), the basis of the deviations.
struct Node {
    Node(int n, int m) : solver(n, m) {}
    double t = 0;
    std::vector<double> q0, qd0, qdd0;
    double tau_pelvis[6] = {0, 0, 0, 0, 0, 0};
    FootLoad feet[2];
    bool loaded[2] = {false, false};
    double foot0[2 * kFootOut] = {};
    std::vector<double> B, Bd, Bdd;
    BoxQP qp;
    ActiveSetQP solver;
    Eigen::VectorXd last_reserves, reserve0;   // per row
};

// One constraint: node, foot, kind (0-2: COP path x y z; 3, 4: fore-aft shift; 5, 6: lateral).
struct Constraint {
    int node, foot, kind;
};

struct Evaluation {
    PredictionCosts c;
    double reserve_excess = 0, reserve_excess_time = 0;   // largest |r - r0| (N m) and where
    int reserve_excess_coord = -1;
    Eigen::VectorXd grad_V, grad_f, g;
    Eigen::MatrixXd jac;
    std::string failure;
};

class PredictionProblem {
public:
    PredictionProblem(const Model& model, const ReferenceMotion& ref, const CmcOptions& opt, const PredictionOptions& po)
        : po_(po), rows_(balanceRows(model, opt.balance_levels)),
          nm_(static_cast<int>(model.muscles().size())), ne_(static_cast<int>(rows_.size())),
          mech_(model, ref, opt, rows_) {
        const int nc = static_cast<int>(model.coordinates().size());
        dev_.harmonics = po.harmonics;
        // The stride is the recorded window (a file's lead-in is only for the warm-up).
        dev_.t0 = ref.startTime() + ref.leadIn();
        dev_.period = ref.strideTime() > 0 ? ref.strideTime() : ref.endTime() - dev_.t0;
        const std::vector<int> pelvis = pelvisCoordinates(model);
        for (int c = 0; c < nc; ++c) {
            dev_.coords.push_back(c);
            scale_.push_back(model.coordinates()[c].rotational ? po.rotation_scale : po.translation_scale);
            int axis = -1;   // pelvis_tx, _ty, _tz translate along ground x, y, z (inverse_dynamics.h)
            for (int k = 3; k < 6; ++k)
                if (pelvis[k] == c) axis = k - 3;
            axis_.push_back(axis);
        }
        nb_ = dev_.basisSize();
        nd_ = static_cast<int>(dev_.coords.size());
        nv_ = nd_ * nb_;
        dev_.coeffs.setZero(nd_, nb_);
        std::vector<bool> is_pelvis(nc, false);
        for (int p : pelvis) is_pelvis[p] = true;
        const Eigen::VectorXd weight = activationWeights(model, opt.cost);
        const std::vector<double> amax = opt.max_activation.empty() ? std::vector<double>(nm_, 1.0) : opt.max_activation;
        is_reserve_.assign(ne_, false);
        const double bw = ref.bodyWeight();
        const double height = model.subject().height;
        // Pelvis residuals are charged in units of the Hicks et al. 2015 thresholds (5% of the
        // peak external force; 1% of it times the mass centre's height for moments), so that a
        // residual change at the threshold held over the stride costs residual_weight.
        std::vector<double> residual_unit(nc, 1.0);
        const std::vector<double> reserve_unit = reserveOptimal(model, opt);
        {
            double peak = 0, com = 0;
            SimTK::State s = model.defaultState();
            std::vector<double> q(nc), qd(nc), qdd(nc);
            for (int n = 0; n < po.nodes; ++n) {
                const double t = dev_.t0 + dev_.period * n / po.nodes;
                FootLoad r, l;
                ref.footLoads(t, r, l);
                peak = std::max(peak, (r.force_G + l.force_G).norm());
                ref.coordinates(t, q.data(), qd.data(), qdd.data());
                setCoordinateState(model, s, q.data(), qd.data());
                model.system().realize(s, SimTK::Stage::Position);
                com += model.matter().calcSystemMassCenterLocationInGround(s)[1] / po.nodes;
            }
            peak = std::max(peak, bw);
            for (int k = 0; k < 6; ++k)
                residual_unit[pelvis[k]] = (k < 3 ? 0.01 * com * peak : 0.05 * peak) / std::sqrt(po.residual_weight);
        }
        for (int n = 0; n < po.nodes; ++n) {
            nodes_.emplace_back(nm_ + ne_, ne_);
            Node& nd = nodes_.back();
            nd.t = dev_.t0 + dev_.period * n / po.nodes;
            nd.q0.resize(nc); nd.qd0.resize(nc); nd.qdd0.resize(nc);
            ref.coordinates(nd.t, nd.q0.data(), nd.qd0.data(), nd.qdd0.data());
            ref.footLoads(nd.t, nd.feet[0], nd.feet[1]);
            nd.B.resize(nb_); nd.Bd.resize(nb_); nd.Bdd.resize(nb_);
            dev_.basis(nd.t, nd.B.data(), nd.Bd.data(), nd.Bdd.data());
            mech_.setPose(nd.t, nd.q0.data(), nd.qd0.data());
            mech_.pelvisForces(nd.qdd0.data(), nd.tau_pelvis);
            Eigen::VectorXd b;
            mech_.computeB(nd.qdd0.data(), nd.tau_pelvis, nd.feet, b, nd.foot0);
            BoxQP& qp = nd.qp;
            const int nx = nm_ + ne_;
            qp.h.resize(nx); qp.c.setZero(nx); qp.A.setZero(ne_, nx); qp.b.setZero(ne_); qp.lo.resize(nx); qp.hi.resize(nx);
            for (int i = 0; i < nm_; ++i) {
                qp.h[i] = 2 * weight[i];
                qp.lo[i] = 0;
                qp.hi[i] = amax[i];
            }
            for (int e = 0; e < ne_; ++e) {
                const bool pel = is_pelvis[rows_[e].coord];
                const double o = pel ? residual_unit[rows_[e].coord] : reserve_unit[rows_[e].coord];
                const double bound = pel ? opt.residual_max : opt.reserve_max;
                qp.A(e, nm_ + e) = o;
                qp.h[nm_ + e] = 2;
                qp.lo[nm_ + e] = -bound / o;
                qp.hi[nm_ + e] = bound / o;
                is_reserve_[e] = !pel;
            }
            nd.last_reserves.setZero(ne_);
            nd.reserve0.setZero(ne_);
            for (int f = 0; f < 2; ++f) {
                nd.loaded[f] = nd.feet[f].contact && nd.feet[f].force_G[1] >= po.min_stance_force * bw;
                if (nd.loaded[f])
                    for (int k = 0; k < 7; ++k) constraints_.push_back({n, f, k});
            }
        }
        shift_fore_ = po.cop_shift_fraction * kFootLength * height;
        shift_lateral_ = po.cop_shift_fraction * kFootBreadth * height;
        correction_.setZero(nv_);
        q_.resize(nc); qd_.resize(nc); qdd_.resize(nc);
    }

    int numVariables() const { return nv_; }
    int numConstraints() const { return static_cast<int>(constraints_.size()); }
    void setCorrection(const Eigen::VectorXd& g0) { correction_ = g0; }

    // Reserves of the last evaluation, per node (ne each; pelvis rows included).
    std::vector<Eigen::VectorXd> lastReserves() const {
        std::vector<Eigen::VectorXd> r;
        for (const Node& nd : nodes_) r.push_back(nd.last_reserves);
        return r;
    }
    // Penalise each reserve only for what it adds to the healthy runner's reserve at the same
    // node of the measured stride, (r - r0)^2 (PredictionOptions::reserve_max judges the
    // result, not the search, so that a measured stride the muscles cannot run is a start
    // from which the compensation can search): reserves
    // that the model needs for the healthy runner too (the plantarflexors in mid-stance,
    // docs/compensation.md) are the model's, not something the runner compensates for. The
    // pelvis residuals likewise pay for their change only (in stance the ground transfer
    // keeps them at the measured stride's; in flight a deviation changes them).
    void setReserveBaseline(const std::vector<Eigen::VectorXd>& r0) {
        for (size_t n = 0; n < nodes_.size(); ++n)
            for (int e = 0; e < ne_; ++e) {
                BoxQP& qp = nodes_[n].qp;
                const int j = nm_ + e;
                qp.c[j] = -qp.h[j] * r0[n][e];

                nodes_[n].reserve0[e] = r0[n][e];
            }
    }

    // Variables x are the coefficients in units of each coordinate's scale.
    void deviationOf(const double* x, StrideDeviation& dev) const {
        dev = dev_;
        for (int j = 0; j < nd_; ++j)
            for (int k = 0; k < nb_; ++k) dev.coeffs(j, k) = x[j * nb_ + k] * scale_[j];
    }

    void constraintBounds(double* lo, double* hi) const {
        const double inf = 2e19;
        for (size_t i = 0; i < constraints_.size(); ++i) {
            const int k = constraints_[i].kind;
            if (k < 3) { lo[i] = -po_.foot_tolerance; hi[i] = po_.foot_tolerance; }
            else if (k == 3 || k == 5) { lo[i] = -inf; hi[i] = 0; }
            else { lo[i] = 0; hi[i] = inf; }
        }
    }

    bool evaluate(const double* x, bool grad, Evaluation& ev) {
        const int N = static_cast<int>(nodes_.size());
        ev = Evaluation{};
        ev.g.setZero(numConstraints());
        if (grad) {
            ev.grad_V.setZero(nv_);
            ev.jac.setZero(numConstraints(), nv_);
        }
        // Node values of each constraint's node, and their theta-derivatives (per foot output).
        std::vector<double> foot(2 * kFootOut), foot_p(2 * kFootOut);
        Eigen::MatrixXd dfoot;   // 2*kFootOut x nv, for the current node
        Eigen::VectorXd b, bp, rho;
        Eigen::MatrixXd A, Ap;
        size_t ci = 0;
        for (int n = 0; n < N; ++n) {
            Node& nd = nodes_[n];
            for (size_t c = 0; c < q_.size(); ++c) { q_[c] = nd.q0[c]; qd_[c] = nd.qd0[c]; qdd_[c] = nd.qdd0[c]; }
            for (int j = 0; j < nd_; ++j) {
                double v = 0, vd = 0, vdd = 0;
                for (int k = 0; k < nb_; ++k) {
                    const double a = x[j * nb_ + k] * scale_[j];
                    v += a * nd.B[k]; vd += a * nd.Bd[k]; vdd += a * nd.Bdd[k];
                }
                const int c = dev_.coords[j];
                q_[c] += v; qd_[c] += vd; qdd_[c] += vdd;
                ev.c.deviation += po_.deviation_weight * (v / scale_[j]) * (v / scale_[j]) / N;
            }
            mech_.setPose(nd.t, q_.data(), qd_.data());
            mech_.computeA(A);
            mech_.computeB(qdd_.data(), nd.tau_pelvis, nd.feet, b, foot.data());
            nd.qp.A.leftCols(nm_) = A;
            nd.qp.b = b;
            const QPResult* res = &nd.solver.solve(nd.qp, true);
            if (res->status != QPStatus::Optimal) res = &nd.solver.solve(nd.qp, false);
            if (res->status != QPStatus::Optimal) {
                std::ostringstream o;
                o << "the static optimisation is " << toString(res->status) << " at t = " << nd.t << " s";
                ev.failure = o.str();
                return false;
            }
            for (int i = 0; i < nm_; ++i) ev.c.effort += 0.5 * nd.qp.h[i] * res->x[i] * res->x[i] / N;
            for (int e = 0; e < ne_; ++e) {
                const double r = res->x[nm_ + e] - nd.reserve0[e];
                nd.last_reserves[e] = res->x[nm_ + e];
                (is_reserve_[e] ? ev.c.reserves : ev.c.residuals) += r * r / N;
                if (is_reserve_[e] && std::abs(r) > ev.reserve_excess) {
                    ev.reserve_excess = std::abs(r);
                    ev.reserve_excess_coord = rows_[e].coord;
                    ev.reserve_excess_time = nd.t;
                }
            }
            for (size_t k = ci; k < constraints_.size() && constraints_[k].node == n; ++k)
                ev.g[k] = constraintValue(nd, constraints_[k], foot.data());
            if (grad) {
                const Eigen::VectorXd a = res->x.head(nm_);
                const Eigen::VectorXd lambda = res->lambda;
                dfoot.setZero(2 * kFootOut, nv_);
                // Accelerations: b and the feet are linear in them, the pose is unchanged.
                for (int j = 0; j < nd_; ++j) {
                    const int c = dev_.coords[j];
                    qdd_[c] += 1.0;
                    mech_.computeB(qdd_.data(), nd.tau_pelvis, nd.feet, bp, foot_p.data());
                    qdd_[c] -= 1.0;
                    accumulate(j, nd.Bdd, lambda.dot(bp - b), foot, foot_p, 1.0, ev, dfoot);
                }
                // Rates (the moment arms of the node's pose stay), then coordinates.
                for (int pass = 0; pass < 2; ++pass) {
                    std::vector<double>& v = pass == 0 ? qd_ : q_;
                    const std::vector<double>& basis = pass == 0 ? nd.Bd : nd.B;
                    for (int j = 0; j < nd_; ++j) {
                        const int c = dev_.coords[j];
                        const double h = po_.fd_step;
                        if (axis_[j] >= 0) {
                            // A pelvis translation moves the whole body rigidly along a ground
                            // axis: nothing internal changes (Galilean invariance for its rate),
                            // and the foot points move with it.
                            std::copy(foot.begin(), foot.end(), foot_p.begin());
                            if (pass == 1)
                                for (int f = 0; f < 2; ++f)
                                    if (nd.feet[f].contact) foot_p[kFootOut * f + axis_[j]] += h;
                            accumulate(j, basis, 0.0, foot, foot_p, h, ev, dfoot);
                            continue;
                        }
                        v[c] += h;
                        mech_.setPose(nd.t, q_.data(), qd_.data());
                        mech_.computeA(Ap, pass == 0);
                        mech_.computeB(qdd_.data(), nd.tau_pelvis, nd.feet, bp, foot_p.data());
                        v[c] -= h;
                        rho = (bp - b) - (Ap - A) * a;
                        accumulate(j, basis, lambda.dot(rho), foot, foot_p, h, ev, dfoot);
                    }
                }
                for (size_t k = ci; k < constraints_.size() && constraints_[k].node == n; ++k)
                    ev.jac.row(k) = constraintRow(constraints_[k], dfoot);
            }
            while (ci < constraints_.size() && constraints_[ci].node == n) ++ci;
        }
        // Deviation penalty gradient (closed form) and the healthy-stride correction.
        ev.c.correction = 0;
        for (int v = 0; v < nv_; ++v) ev.c.correction -= correction_[v] * x[v];
        ev.c.objective = ev.c.effort + ev.c.reserves + ev.c.residuals + ev.c.correction + ev.c.deviation;
        if (grad) {
            ev.grad_f = ev.grad_V - correction_;
            for (int n = 0; n < N; ++n) {
                const Node& nd = nodes_[n];
                for (int j = 0; j < nd_; ++j) {
                    double v = 0;
                    for (int k = 0; k < nb_; ++k) v += x[j * nb_ + k] * nd.B[k];
                    for (int k = 0; k < nb_; ++k) ev.grad_f[j * nb_ + k] += 2 * po_.deviation_weight * v * nd.B[k] / N;
                }
            }
        }
        return true;
    }

private:
    // Adds one theta-derivative (d: dV for a step of size h) to the gradient of the mean
    // effort, through the basis of coordinate j, and the feet's derivatives to dfoot.
    void accumulate(int j, const std::vector<double>& basis, double dV, const std::vector<double>& foot,
                    const std::vector<double>& foot_p, double h, Evaluation& ev, Eigen::MatrixXd& dfoot) const {
        const int N = static_cast<int>(nodes_.size());
        for (int k = 0; k < nb_; ++k) {
            const double dtheta_dx = basis[k] * scale_[j];   // d theta / d x (x in scale units)
            ev.grad_V[j * nb_ + k] += dV / h * dtheta_dx / N;
            for (int o = 0; o < 2 * kFootOut; ++o) dfoot(o, j * nb_ + k) += (foot_p[o] - foot[o]) / h * dtheta_dx;
        }
    }

    double constraintValue(const Node& nd, const Constraint& c, const double* foot) const {
        const double* o = foot + kFootOut * c.foot;
        const double* o0 = nd.foot0 + kFootOut * c.foot;
        switch (c.kind) {
            case 0: case 1: case 2: return o[c.kind] - o0[c.kind];
            case 3: return o[4] - shift_fore_ * o[5];     // fore-aft shift dx = couple_z / Fy <= +limit
            case 4: return o[4] + shift_fore_ * o[5];     // >= -limit
            case 5: return o[3] - shift_lateral_ * o[5];  // lateral shift dz = -couple_x / Fy
            default: return o[3] + shift_lateral_ * o[5];
        }
    }

    Eigen::RowVectorXd constraintRow(const Constraint& c, const Eigen::MatrixXd& dfoot) const {
        const int r = kFootOut * c.foot;
        switch (c.kind) {
            case 0: case 1: case 2: return dfoot.row(r + c.kind);
            case 3: return dfoot.row(r + 4) - shift_fore_ * dfoot.row(r + 5);
            case 4: return dfoot.row(r + 4) + shift_fore_ * dfoot.row(r + 5);
            case 5: return dfoot.row(r + 3) - shift_lateral_ * dfoot.row(r + 5);
            default: return dfoot.row(r + 3) + shift_lateral_ * dfoot.row(r + 5);
        }
    }

    PredictionOptions po_;
    std::vector<BalanceRow> rows_;
    int nm_, ne_;
    NodeMechanics mech_;
    StrideDeviation dev_;
    std::vector<double> scale_;
    std::vector<int> axis_;   // per deviated coordinate: the ground axis of a pelvis translation, else -1
    int nb_ = 0, nd_ = 0, nv_ = 0;
    std::deque<Node> nodes_;
    std::vector<Constraint> constraints_;
    std::vector<bool> is_reserve_;
    double shift_fore_ = 0, shift_lateral_ = 0;
    Eigen::VectorXd correction_;
    std::vector<double> q_, qd_, qdd_;
};

// The problem for IPOPT: one evaluation serves f, g and (when asked) their derivatives at the
// same x.
class PredictionNlp : public Ipopt::TNLP {
public:
    PredictionNlp(PredictionProblem& problem, StridePrediction& out) : pb_(problem), out_(out) {}

    bool get_nlp_info(Ipopt::Index& n, Ipopt::Index& m, Ipopt::Index& nnz_jac, Ipopt::Index& nnz_h,
                      IndexStyleEnum& style) override {
        n = pb_.numVariables();
        m = pb_.numConstraints();
        nnz_jac = n * m;   // a node's constraints depend on every coefficient of the smooth basis
        nnz_h = 0;
        style = C_STYLE;
        return true;
    }
    bool get_bounds_info(Ipopt::Index n, Ipopt::Number* x_l, Ipopt::Number* x_u, Ipopt::Index m, Ipopt::Number* g_l,
                         Ipopt::Number* g_u) override {
        // Coefficients within 30 scales (30 deg, 30 cm): keeps trial steps in the model's range.
        for (int i = 0; i < n; ++i) { x_l[i] = -30; x_u[i] = 30; }
        if (m > 0) pb_.constraintBounds(g_l, g_u);
        return true;
    }
    bool get_starting_point(Ipopt::Index n, bool init_x, Ipopt::Number* x, bool, Ipopt::Number*, Ipopt::Number*,
                            Ipopt::Index, bool, Ipopt::Number*) override {
        if (init_x) std::fill(x, x + n, 0.0);   // the measured stride
        return true;
    }
    bool eval_f(Ipopt::Index n, const Ipopt::Number* x, bool, Ipopt::Number& f) override {
        if (!ensure(n, x, false)) return false;
        f = ev_.c.objective;
        return true;
    }
    bool eval_grad_f(Ipopt::Index n, const Ipopt::Number* x, bool, Ipopt::Number* g) override {
        if (!ensure(n, x, true)) return false;
        for (int i = 0; i < n; ++i) g[i] = ev_.grad_f[i];
        return true;
    }
    bool eval_g(Ipopt::Index n, const Ipopt::Number* x, bool, Ipopt::Index m, Ipopt::Number* g) override {
        if (!ensure(n, x, false)) return false;
        for (int i = 0; i < m; ++i) g[i] = ev_.g[i];
        return true;
    }
    bool eval_jac_g(Ipopt::Index n, const Ipopt::Number* x, bool, Ipopt::Index m, Ipopt::Index, Ipopt::Index* iRow,
                    Ipopt::Index* jCol, Ipopt::Number* values) override {
        if (!values) {
            for (int i = 0, k = 0; i < m; ++i)
                for (int j = 0; j < n; ++j, ++k) { iRow[k] = i; jCol[k] = j; }
            return true;
        }
        if (!ensure(n, x, true)) return false;
        for (int i = 0, k = 0; i < m; ++i)
            for (int j = 0; j < n; ++j, ++k) values[k] = ev_.jac(i, j);
        return true;
    }
    bool intermediate_callback(Ipopt::AlgorithmMode, Ipopt::Index iter, Ipopt::Number, Ipopt::Number, Ipopt::Number,
                               Ipopt::Number, Ipopt::Number, Ipopt::Number, Ipopt::Number, Ipopt::Number, Ipopt::Index,
                               const Ipopt::IpoptData*, Ipopt::IpoptCalculatedQuantities*) override {
        out_.iterations = iter;
        return true;
    }
    void finalize_solution(Ipopt::SolverReturn, Ipopt::Index n, const Ipopt::Number* x, const Ipopt::Number*,
                           const Ipopt::Number*, Ipopt::Index, const Ipopt::Number*, const Ipopt::Number*,
                           Ipopt::Number, const Ipopt::IpoptData*, Ipopt::IpoptCalculatedQuantities*) override {
        x_final.assign(x, x + n);
    }

    std::vector<double> x_final;
    std::string last_failure;
    double eval_time = 0, grad_time = 0;

private:
    bool ensure(int n, const double* x, bool grad) {
        const bool same = have_ && std::equal(x, x + n, x_.begin());
        if (same && (!grad || have_grad_)) return ok_;
        x_.assign(x, x + n);
        const auto t0 = Clock::now();
        ok_ = pb_.evaluate(x, grad, ev_);
        (grad ? grad_time : eval_time) += seconds(t0);
        (grad ? out_.gradient_evaluations : out_.evaluations) += 1;
        if (!ok_) last_failure = ev_.failure;
        have_ = true;
        have_grad_ = grad;
        return ok_;
    }
    PredictionProblem& pb_;
    StridePrediction& out_;
    Evaluation ev_;
    std::vector<double> x_;
    bool have_ = false, have_grad_ = false, ok_ = false;
};

std::string ipoptStatus(Ipopt::ApplicationReturnStatus s) {
    switch (s) {
        case Ipopt::Solve_Succeeded: return "solved";
        case Ipopt::Solved_To_Acceptable_Level: return "solved to the acceptable level";
        case Ipopt::Infeasible_Problem_Detected: return "failed: the constraints cannot be met (locally infeasible)";
        case Ipopt::Search_Direction_Becomes_Too_Small: return "failed: search direction too small";
        case Ipopt::Diverging_Iterates: return "failed: diverging iterates";
        case Ipopt::User_Requested_Stop: return "failed: stopped";
        case Ipopt::Feasible_Point_Found: return "solved (feasible point)";
        case Ipopt::Maximum_Iterations_Exceeded: return "failed: iteration limit";
        case Ipopt::Restoration_Failed: return "failed: restoration phase failed";
        case Ipopt::Error_In_Step_Computation: return "failed: error in step computation";
        case Ipopt::Maximum_CpuTime_Exceeded: return "failed: time limit";
        case Ipopt::Invalid_Number_Detected: return "failed: an evaluation failed";
        default: return "failed: IPOPT status " + std::to_string(static_cast<int>(s));
    }
}

// The scenario's problem with the healthy runner's reserve baseline and effort correction.
// Returns an empty failure text on success.
std::string setUpProblem(const Model& model, const ReferenceMotion& reference, const CmcOptions& scenario,
                         const PredictionOptions& options, std::unique_ptr<PredictionProblem>& pb) {
    CmcOptions healthy = scenario;
    healthy.strength.clear();
    healthy.max_activation.clear();
    healthy.length_scale.clear();
    PredictionProblem pb_healthy(model, reference, healthy, options);
    std::vector<double> zero(pb_healthy.numVariables(), 0.0);
    Evaluation ev0;
    bool healthy_ok = pb_healthy.evaluate(zero.data(), false, ev0);
    const std::vector<Eigen::VectorXd> r0 = pb_healthy.lastReserves();
    if (healthy_ok) {
        pb_healthy.setReserveBaseline(r0);
        healthy_ok = pb_healthy.evaluate(zero.data(), true, ev0);
    }
    if (!healthy_ok) return "the healthy runner's measured stride: " + ev0.failure;
    pb = std::make_unique<PredictionProblem>(model, reference, scenario, options);
    pb->setReserveBaseline(r0);
    pb->setCorrection(ev0.grad_V);
    return "";
}

}  // namespace

std::vector<PredictionEvaluation> evaluatePrediction(const Model& model, const ReferenceMotion& reference,
                                                     const CmcOptions& scenario, const PredictionOptions& options,
                                                     const std::vector<Eigen::VectorXd>& points, bool gradients) {
    std::unique_ptr<PredictionProblem> pb;
    std::vector<PredictionEvaluation> out(points.size());
    if (!setUpProblem(model, reference, scenario, options, pb).empty()) return out;
    for (size_t i = 0; i < points.size(); ++i) {
        Evaluation ev;
        out[i].ok = pb->evaluate(points[i].data(), gradients, ev);
        out[i].costs = ev.c;
        out[i].grad_f = ev.grad_f;
        out[i].g = ev.g;
        out[i].jac_g = ev.jac;
    }
    return out;
}

StridePrediction predictStride(const Model& model, const ReferenceMotion& reference, const CmcOptions& scenario,
                               const PredictionOptions& options) {
    const auto start = Clock::now();
    StridePrediction out;
    try {
        std::unique_ptr<PredictionProblem> owner;
        const std::string failure = setUpProblem(model, reference, scenario, options, owner);
        if (!failure.empty()) {
            out.status = "failed: " + failure;
            out.wall_time = seconds(start);
            return out;
        }
        PredictionProblem& pb = *owner;
        std::vector<double> zero(pb.numVariables(), 0.0);
        Evaluation measured;
        if (!pb.evaluate(zero.data(), false, measured)) {
            out.status = "failed: " + measured.failure;
            pb.deviationOf(zero.data(), out.deviation);
            out.wall_time = seconds(start);
            return out;
        }
        out.effort_measured = measured.c.effort;

        // Debian's IPOPT solves its linear systems with sequential MUMPS, whose Fortran keeps
        // state in module variables: two solves at once in one process crash it (a sweep with
        // --jobs 2 did). One IPOPT solve at a time per process; the rest of a run (the healthy
        // runner's correction above, the tracking simulation) stays parallel, and MPI ranks,
        // being processes, solve side by side (docs/compensation.md).
        static std::mutex ipopt_mutex;
        std::lock_guard<std::mutex> one_solve_at_a_time(ipopt_mutex);
        Ipopt::SmartPtr<PredictionNlp> nlp = new PredictionNlp(pb, out);
        Ipopt::SmartPtr<Ipopt::IpoptApplication> app = new Ipopt::IpoptApplication(false);   // no console output
        app->Options()->SetStringValue("hessian_approximation", "limited-memory");
        app->Options()->SetIntegerValue("print_level", 0);
        app->Options()->SetStringValue("sb", "yes");
        app->Options()->SetNumericValue("tol", options.tolerance);
        // The recruitment's active-set changes make the gradient only piecewise smooth, so
        // the dual tolerance of a smooth problem is rarely reached; the solve stops when the
        // objective has changed by less than objective_change (relative) over 3 consecutive
        // iterations with the constraints met (docs/compensation.md).
        app->Options()->SetNumericValue("acceptable_tol", 1e19);
        app->Options()->SetNumericValue("acceptable_obj_change_tol", options.objective_change);
        app->Options()->SetNumericValue("acceptable_constr_viol_tol", 1e-5);
        app->Options()->SetIntegerValue("acceptable_iter", 3);
        app->Options()->SetIntegerValue("limited_memory_max_history", 40);
        app->Options()->SetIntegerValue("max_iter", options.max_iterations);
        app->Options()->SetStringValue("mu_strategy", "adaptive");
        if (app->Initialize("") != Ipopt::Solve_Succeeded) {
            out.status = "failed: IPOPT could not be initialised";
            return out;
        }
        const Ipopt::ApplicationReturnStatus st = app->OptimizeTNLP(Ipopt::SmartPtr<Ipopt::TNLP>(GetRawPtr(nlp)));
        out.status = ipoptStatus(st);
        out.solved = st == Ipopt::Solve_Succeeded || st == Ipopt::Solved_To_Acceptable_Level;
        if (!nlp->last_failure.empty() && !out.solved) out.status += " (" + nlp->last_failure + ")";
        std::vector<double> x = nlp->x_final.empty() ? zero : nlp->x_final;
        pb.deviationOf(x.data(), out.deviation);
        Evaluation fin;
        if (pb.evaluate(x.data(), false, fin)) {
            out.reserve_excess = fin.reserve_excess;
            if (out.solved && fin.reserve_excess > options.reserve_max) {
                std::ostringstream o;
                o << "failed: the muscles cannot cope: the compensated stride still needs " << std::setprecision(3)
                  << fin.reserve_excess << " N m more reserve than the healthy runner at "
                  << model.coordinates()[fin.reserve_excess_coord].name << " (t = " << fin.reserve_excess_time
                  << " s; at most " << options.reserve_max << " N m)";
                out.status = o.str();
                out.solved = false;
            }
            out.costs = fin.c;
        } else if (out.solved) {
            out.solved = false;
            out.status = "failed: " + fin.failure;
        }
        out.evaluation_time = out.evaluations ? nlp->eval_time / out.evaluations : 0;
        out.gradient_time = out.gradient_evaluations ? nlp->grad_time / out.gradient_evaluations : 0;
    } catch (const std::exception& e) {
        out.solved = false;
        out.status = std::string("failed: ") + e.what();
    }
    out.wall_time = seconds(start);
    return out;
}

}  // namespace corestride
