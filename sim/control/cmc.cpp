#include "cmc.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "activation_plan.h"
#include "balance_rows.h"
#include "capacity.h"
#include "error.h"
#include "form.h"
#include "inverse_dynamics.h"
#include "lumbar_loads.h"
#include "model_forces.h"
#include "moment_arms.h"
#include "muscle_curves.h"
#include "qp_solver.h"

namespace corestride {
namespace {

// Everything one run changes, sized once: control() allocates nothing per interval; record()
// appends one row to each of the run's result tables.
class CmcWorkspace {
public:
    CmcWorkspace(const Model& model, const ReferenceMotion& ref, const CmcOptions& opt);
    // Solves the static optimisation at the integrator's current state and sets the
    // excitations and reserves for the next interval. Returns false if the QP failed.
    bool control(SimTK::State& s);
    void record(const SimTK::State& s, RunResult& out);

    const Model& model;
    const ReferenceMotion& ref;
    const CmcOptions& opt;
    int nc, nm;
    std::vector<BalanceRow> rows;
    int ne;
    std::vector<int> pelvis;
    std::vector<bool> is_pelvis;
    std::vector<double> reserve_unit;   // per coordinate: reserveOptimal()
    std::vector<double> q_ref, qd_ref, qdd_ref, qdd_des, tau_missing, q_now, qd_now, qr, qdr, qddr;
    SimTK::Vector udot, tau_u, tau_missing_u;
    Eigen::MatrixXd R_u;             // mobility-space moment arms (balance_levels)
    std::vector<double> reserves_e;   // per row, as applied
    SimTK::State ahead;              // the current state at the interval's end time, for the ground reactions
    Eigen::MatrixXd R;
    double R_time = -1;              // the time of the state R was computed at
    std::vector<double> joint_moment;   // per coordinate, the sample being recorded
    Eigen::VectorXd weight;          // per muscle cost weight
    MomentArmWorkspace ma;
    JointLoadWorkspace jl;
    JointLoads loads;
    BoxQP qp;
    ActiveSetQP solver;
    std::vector<double> act_target, exc, reserves_c, decay_a, decay_d;
    std::vector<double> strength, amax, lscale;
    ActivationDynamics dyn;
    int failures = 0, solves = 0;
    std::string last_failure;
    // The activation plan (CmcOptions::plan): the first pass stores every loop interval's
    // problem in `capture` (as plan nodes, one per interval); the second pass tracks `plan`
    // (its activations at each interval's end). `interval` counts the loop's intervals (-1 while
    // the initial state is set up).
    PlanProblem* capture = nullptr;
    const std::vector<std::vector<double>>* plan = nullptr;
    int interval = -1;
    // ControlMode::Static: the state is on the reference; the rows ask for the reference's own
    // accelerations at its own time, the activations may take any value in [0, ceiling] and are
    // set directly (no excitations, no activation dynamics).
    bool static_opt = false;
    // Per muscle, the largest passive fibre force recorded, over the muscle's own maximal
    // isometric force (fmax x strength): addPassiveMetrics() reports it.
    std::vector<double> passive_peak;
    void addPassiveMetrics(RunResult& out) const;
};

CmcWorkspace::CmcWorkspace(const Model& m, const ReferenceMotion& r, const CmcOptions& o)
    : model(m), ref(r), opt(o), nc(static_cast<int>(m.coordinates().size())), nm(static_cast<int>(m.muscles().size())),
      rows(balanceRows(m, o.balance_levels)), ne(static_cast<int>(rows.size())),
      solver(nm + ne, ne) {
    pelvis = pelvisCoordinates(m);
    is_pelvis.assign(nc, false);
    for (int p : pelvis) is_pelvis[p] = true;
    reserve_unit = reserveOptimal(m, o);
    for (auto* v : {&q_ref, &qd_ref, &qdd_ref, &qdd_des, &tau_missing, &q_now, &qd_now, &qr, &qdr, &qddr})
        v->assign(nc, 0.0);
    tau_u.resize(m.numMobilities());
    const int n = nm + ne;
    qp.h.resize(n); qp.c.setZero(n); qp.A.setZero(ne, n); qp.b.resize(ne); qp.lo.resize(n); qp.hi.resize(n);
    reserves_e.assign(ne, 0.0);
    weight = activationWeights(m, o.cost);
    act_target.assign(nm, 0.0);
    decay_a.assign(nm, 0.0);
    decay_d.assign(nm, 0.0);
    exc.assign(nm, 0.0);
    reserves_c.assign(nc, 0.0);
    strength = o.strength.empty() ? std::vector<double>(nm, 1.0) : o.strength;
    amax = o.max_activation.empty() ? std::vector<double>(nm, 1.0) : o.max_activation;
    lscale = o.length_scale.empty() ? std::vector<double>(nm, 1.0) : o.length_scale;
    passive_peak.assign(nm, 0.0);
}

bool CmcWorkspace::control(SimTK::State& s) {
    // The interval ends at the next control time or at the end of the reference, whichever
    // comes first (the last interval of a run may be shorter).
    const double t = s.getTime(), T = std::max(1e-9, std::min(opt.interval, ref.endTime() - t));
    const auto& sys = model.system();
    // Desired accelerations: feed-forward at the end of the interval plus PD on the current error.
    ref.coordinates(t, q_ref.data(), qd_ref.data(), qdd_ref.data());
    std::vector<double>& q = q_now;
    for (int c = 0; c < nc; ++c) {
        q[c] = model.getCoordinate(s, c);
        double rate = 0;
        for (int u : model.coordinates()[c].u) rate += s.getU()[u];
        qd_now[c] = rate;
    }
    const double t_target = static_opt ? t : t + T;   // static: the accelerations of this instant
    ref.coordinates(t_target, qr.data(), qdr.data(), qddr.data());
    for (int c = 0; c < nc; ++c)
        qdd_des[c] = qddr[c] + opt.kv * (qd_ref[c] - qd_now[c]) + opt.kp * (q_ref[c] - q[c]);
    coordinateToMobility(model, qdd_des.data(), udot);

    // What muscles and actuators must supply: the missing forces plus what they supply now,
    // with the ground reactions at the end of the interval (they change fast in stance; static:
    // those of this instant).
    ahead = s;
    ahead.setTime(t_target);
    if (opt.balance_levels) {
        calcMissingMobilityForces(model, ahead, udot, tau_missing_u);
        mobilityToCoordinate(model, tau_missing_u, tau_missing.data());
    } else {
        calcMissingForces(model, ahead, udot, tau_missing.data());
    }
    sys.realize(s, SimTK::Stage::Dynamics);
    calcMomentArmMatrix(model, s, ma, R, opt.balance_levels ? &R_u : nullptr);
    R_time = t;
    const auto& ms = model.forces().getMuscleStates(s);
    for (int e = 0; e < ne; ++e) {
        const BalanceRow& row = rows[e];
        double need = (row.mob < 0 ? tau_missing[row.coord] : tau_missing_u[row.mob]) + reserves_e[e];
        if (row.mob < 0)
            for (int i = 0; i < nm; ++i) need += R(row.coord, i) * (ms[i].force - ms[i].force_passive);
        else
            for (int i = 0; i < nm; ++i) need += R_u(row.mob, i) * (ms[i].force - ms[i].force_passive);
        qp.b[e] = need;
    }
    // Unknowns: activations, then one actuator per row.
    // The unknown is each muscle's activation at the end of the interval (Thelen & Anderson
    // 2006 target the forces at t + T), which the activation dynamics bound: with e held at 0
    // or at its ceiling amax (1, or lower for neural inhibition) from the current a0, it reaches
    // a0 E_d or amax - (amax - a0) E_a, E = exp(-T/tau) (tau at a0, De Groote 2016). Targeting
    // the interval mean instead overshoots: the end value moves about twice as far as the mean,
    // the next interval starts off target, and the excitations chatter between 0 and 1 with
    // antagonists held on against each other (quiet standing: tibialis anterior 0.56 against
    // the gastrocnemii where 0.15 suffices).
    for (int i = 0; i < nm; ++i) {
        const double a0 = model.forces().getActivation(s, i);
        const double tau_a = dyn.tau_activation * (0.5 + 1.5 * a0), tau_d = dyn.tau_deactivation / (0.5 + 1.5 * a0);
        decay_a[i] = std::exp(-T / tau_a);
        decay_d[i] = std::exp(-T / tau_d);
        for (int e = 0; e < ne; ++e)
            qp.A(e, i) = (rows[e].mob < 0 ? R(rows[e].coord, i) : R_u(rows[e].mob, i)) * ms[i].force_gain;
        qp.h[i] = 2 * weight[i];
        // With a plan: the least weighted deviation from its activation at the interval's end.
        qp.c[i] = plan && interval >= 0 ? -2 * weight[i] * (*plan)[interval][i] : 0;
        qp.lo[i] = static_opt ? 0.0 : a0 * decay_d[i];
        qp.hi[i] = static_opt ? amax[i] : std::max(qp.lo[i], amax[i] - (amax[i] - a0) * decay_a[i]);
    }
    for (int e = 0; e < ne; ++e) {
        const int c = rows[e].coord, j = nm + e;
        const double o = is_pelvis[c] ? opt.residual_optimal : reserve_unit[c];
        const double bound = is_pelvis[c] ? opt.residual_max : opt.reserve_max;
        qp.A(e, j) = o;
        qp.h[j] = 2;
        qp.lo[j] = -bound / o;
        qp.hi[j] = bound / o;
    }
    const QPResult* res = &solver.solve(qp, true);
    ++solves;
    if (res->status != QPStatus::Optimal) {   // a stale warm start can mislead: retry cold once
        res = &solver.solve(qp, false);
        ++solves;
    }
    // Sum of cubed activations: a few sequential QPs on the local quadratic model.
    if (opt.cost == ActivationCost::Cubed && res->status == QPStatus::Optimal) {
        for (int it = 0; it < 3; ++it) {
            const Eigen::VectorXd x = res->x;
            for (int i = 0; i < nm; ++i) {
                const double a = std::max(x[i], 1e-3);
                qp.h[i] = 6 * a;
                qp.c[i] = -3 * a * a;
            }
            res = &solver.solve(qp, true);
            ++solves;
            if (res->status != QPStatus::Optimal) break;
        }
    }
    if (res->status != QPStatus::Optimal) {
        ++failures;
        last_failure = std::string("static optimisation ") + toString(res->status) + " at t = " + std::to_string(t) + " s";
        return false;
    }
    if (capture && interval >= 0) {
        if (interval == 0) {
            capture->a_start.resize(nm);
            for (int i = 0; i < nm; ++i) capture->a_start[i] = model.forces().getActivation(s, i);
        }
        PlanNode node;
        node.T = T;
        node.A = qp.A.leftCols(nm);
        node.b = qp.b;
        node.a_first.assign(res->x.data(), res->x.data() + nm);
        capture->nodes.push_back(std::move(node));
    }
    // Excitations whose end-of-interval activation is the solution: a1 = e + (a0 - e) E.
    // Static: the activations are the solution itself (recorded as the excitations too).
    for (int i = 0; i < nm; ++i) {
        const double a0 = model.forces().getActivation(s, i), a1 = res->x[i];
        const double g = a1 > a0 ? decay_a[i] : decay_d[i];
        act_target[i] = a1;
        exc[i] = static_opt ? std::clamp(a1, 0.0, amax[i]) : std::clamp((a1 - a0 * g) / (1 - g), 0.0, amax[i]);
    }
    // Reserves as applied: on the coordinate, or on the level's own mobility. What the results
    // report per coordinate is its generalized force (sum of ratio x mobility torque).
    tau_u = 0;
    std::fill(reserves_c.begin(), reserves_c.end(), 0.0);
    for (int e = 0; e < ne; ++e) {
        const BalanceRow& row = rows[e];
        const double o = is_pelvis[row.coord] ? opt.residual_optimal : reserve_unit[row.coord];
        reserves_e[e] = res->x[nm + e] * o;
        if (row.mob < 0) {
            model.addCoordinateForce(row.coord, reserves_e[e], tau_u);
            reserves_c[row.coord] = reserves_e[e];
        } else {
            tau_u[row.mob] += reserves_e[e];
            reserves_c[row.coord] += row.ratio * reserves_e[e];
        }
    }
    if (static_opt)
        model.forces().setActivations(s, exc);
    else
        model.forces().setExcitations(s, exc);
    model.forces().setReserves(s, tau_u);
    return true;
}

// The passive fibre curve gives fmax at 60 % strain (De Groote et al. 2016); more than that is
// beyond what it was fitted to, and in this model the sign of a rigid tendon whose stretch the
// short fibres take (the rectus femoris in swing: docs/lumbar_audit.md, finding 11). Metrics:
// passive_force_peak_fmax (largest over the muscles), and passive_force_peak_<muscle>_fmax for
// every muscle above 1.
void CmcWorkspace::addPassiveMetrics(RunResult& out) const {
    double worst = 0;
    for (int i = 0; i < nm; ++i) {
        worst = std::max(worst, passive_peak[i]);
        if (passive_peak[i] > 1) out.metrics.push_back({"passive_force_peak_" + model.muscles()[i].name + "_fmax", passive_peak[i]});
    }
    out.metrics.push_back({"passive_force_peak_fmax", worst});
}

void appendRow(Table& t, const double* v, int n) {
    t.cols = n;
    t.data.insert(t.data.end(), v, v + n);
}

void CmcWorkspace::record(const SimTK::State& s, RunResult& out) {
    model.system().realize(s, SimTK::Stage::Acceleration);
    out.time.push_back(s.getTime());
    std::vector<double> q(nc), qd(nc), qdd(nc);
    for (int c = 0; c < nc; ++c) {
        q[c] = model.getCoordinate(s, c);
        qd[c] = qdd[c] = 0;
        for (int u : model.coordinates()[c].u) { qd[c] += s.getU()[u]; qdd[c] += s.getUDot()[u]; }
    }
    appendRow(out.q, q.data(), nc);
    appendRow(out.qd, qd.data(), nc);
    appendRow(out.qdd, qdd.data(), nc);
    ref.coordinates(s.getTime(), q.data(), qd.data(), qdd.data());
    appendRow(out.q_ref, q.data(), nc);
    std::vector<double> a(nm), f(nm);
    const auto& ms = model.forces().getMuscleStates(s);
    for (int i = 0; i < nm; ++i) {
        a[i] = model.forces().getActivation(s, i);
        f[i] = ms[i].force;
        const double fmax = model.muscles()[i].fmax * strength[i];
        if (fmax > 0) passive_peak[i] = std::max(passive_peak[i], ms[i].force_passive / fmax);
    }
    appendRow(out.activation, a.data(), nm);
    appendRow(out.excitation, exc.data(), nm);
    appendRow(out.muscle_force, f.data(), nm);
    appendRow(out.reserves, reserves_c.data(), nc);
    // Net joint moments: muscles (moment arms of this state; the control step computed them
    // unless this is the final sample) plus the reserve actuators.
    if (s.getTime() != R_time) {
        calcMomentArmMatrix(model, s, ma, R, opt.balance_levels ? &R_u : nullptr);
        R_time = s.getTime();
    }
    joint_moment.assign(nc, 0.0);
    for (int c = 0; c < nc; ++c) {
        double m = reserves_c[c];
        for (int i = 0; i < nm; ++i) m += R(c, i) * ms[i].force;
        joint_moment[c] = m;
    }
    appendRow(out.joint_moments, joint_moment.data(), nc);
    double tp[6];
    for (int k = 0; k < 6; ++k) tp[k] = reserves_c[pelvis[k]];
    SimTK::Vec3 M, F;
    pelvisWrench(model, s, tp, M, F);
    appendRow(out.residual_force, &F[0], 3);
    appendRow(out.residual_moment, &M[0], 3);
    FootLoad r, l;
    ref.footLoads(s.getTime(), r, l);
    for (FootLoad* foot : {&r, &l}) {
        if (!foot->contact) continue;
        foot->cop_G = model.matter().getMobilizedBody(foot->body).getBodyTransform(s) * foot->p_B;
        // A compensated stride's couple reported as the shift of the centre of pressure it
        // equals (d x F = horizontal couple) and the rest of it as free moment.
        const SimTK::Vec3& C = foot->couple_G;
        const SimTK::Vec3& G = foot->force_G;
        if (C != SimTK::Vec3(0) && G[1] > kContactForce) {
            const SimTK::Vec3 d(C[2] / G[1], 0, -C[0] / G[1]);
            foot->cop_G += d;
            foot->free_moment += C[1] - (d[2] * G[0] - d[0] * G[2]);
        }
    }
    const double gf[6] = {r.force_G[0], r.force_G[1], r.force_G[2], l.force_G[0], l.force_G[1], l.force_G[2]};
    const double gc[6] = {r.cop_G[0], r.cop_G[1], r.cop_G[2], l.cop_G[0], l.cop_G[1], l.cop_G[2]};
    const double gm[2] = {r.free_moment, l.free_moment};
    appendRow(out.grf_force, gf, 6);
    appendRow(out.grf_cop, gc, 6);
    appendRow(out.grf_moment, gm, 2);

    calcJointLoads(model, s, jl, loads);
    const size_t nl = loads.lumbar.size();
    for (auto* t : {&out.lumbar_force, &out.lumbar_moment, &out.lumbar_passive, &out.lumbar_reserve, &out.lumbar_coupling})
        t->resize(nl);
    for (size_t k = 0; k < nl; ++k) {
        const LevelLoad& L = loads.lumbar[k];
        appendRow(out.lumbar_force[k], &L.force[0], 3);
        appendRow(out.lumbar_moment[k], &L.moment[0], 3);
        appendRow(out.lumbar_passive[k], &L.passive_moment[0], 3);
        appendRow(out.lumbar_reserve[k], &L.reserve_moment[0], 3);
        appendRow(out.lumbar_coupling[k], &L.coupling_moment[0], 3);
    }
    const double hip[6] = {loads.hip_force[0][0], loads.hip_force[0][1], loads.hip_force[0][2],
                           loads.hip_force[1][0], loads.hip_force[1][1], loads.hip_force[1][2]};
    appendRow(out.hip_force, hip, 6);
}

// Strides: the reference's period when it has one, else right-foot contact to contact.
void findStrides(const ReferenceMotion& ref, RunResult& r) {
    const int n = static_cast<int>(r.time.size());
    if (ref.strideTime() > 0) {
        const double T = ref.strideTime();
        for (double t = r.time.front(); t + T <= r.time.back() + 1e-9; t += T) r.strides.push_back({t, t + T});
    } else {
        std::vector<double> onsets;
        for (int k = 1; k < n; ++k)
            if (r.grf_force.at(k, 1) > kContactForce && r.grf_force.at(k - 1, 1) <= kContactForce) onsets.push_back(r.time[k]);
        for (size_t i = 0; i + 1 < onsets.size(); ++i) r.strides.push_back({onsets[i], onsets[i + 1]});
    }
    if (r.strides.empty()) r.strides.push_back({r.time.front(), r.time.back()});
}

// Summary numbers: tracking errors per coordinate, residuals against Hicks et al. 2015.
void summarise(const Model& model, RunResult& r) {
    const int nc = static_cast<int>(model.coordinates().size()), n = r.q.rows();
    std::vector<double> tracking_rms(nc);
    for (int c = 0; c < nc; ++c) {
        const Coordinate& co = model.coordinates()[c];
        const double f = co.rotational ? 180 / M_PI : 100.0;
        double ss = 0, mx = 0, rmax = 0;
        for (int k = 0; k < n; ++k) {
            const double e = (r.q.at(k, c) - r.q_ref.at(k, c)) * f;
            ss += e * e;
            mx = std::max(mx, std::abs(e));
            rmax = std::max(rmax, std::abs(r.reserves.at(k, c)));
        }
        const std::string unit = co.rotational ? "_deg" : "_cm";
        tracking_rms[c] = std::sqrt(ss / std::max(n, 1));
        r.metrics.push_back({"tracking_rms_" + co.name + unit, tracking_rms[c]});
        r.metrics.push_back({"tracking_max_" + co.name + unit, mx});
        r.metrics.push_back({"actuator_max_" + co.name + (co.rotational ? "_Nm" : "_N"), rmax});
        // The reserve's peak as a share of the joint's peak net moment: OpenSim's best practices
        // for CMC ask for under 10 % (docs/simulation.md, "Reserves").
        if (co.name.rfind("pelvis_", 0) != 0 && r.joint_moments.rows() == n) {
            double jmax = 0;
            for (int k = 0; k < n; ++k) jmax = std::max(jmax, std::abs(r.joint_moments.at(k, c)));
            r.metrics.push_back({"reserve_share_" + co.name + "_pct", jmax > 0 ? 100 * rmax / jmax : 0.0});
        }
    }
    double fmax = 0, mmax = 0, frms = 0, mrms = 0, grf_peak = 0;
    for (int k = 0; k < n; ++k) {
        const double f = std::hypot(r.residual_force.at(k, 0), r.residual_force.at(k, 1), r.residual_force.at(k, 2));
        const double m = std::hypot(r.residual_moment.at(k, 0), r.residual_moment.at(k, 1), r.residual_moment.at(k, 2));
        fmax = std::max(fmax, f); mmax = std::max(mmax, m);
        frms += f * f; mrms += m * m;
        const double gx = r.grf_force.at(k, 0) + r.grf_force.at(k, 3), gy = r.grf_force.at(k, 1) + r.grf_force.at(k, 4),
                     gz = r.grf_force.at(k, 2) + r.grf_force.at(k, 5);
        grf_peak = std::max(grf_peak, std::hypot(gx, gy, gz));
    }
    r.metrics.push_back({"residual_force_max_N", fmax});
    r.metrics.push_back({"residual_force_rms_N", std::sqrt(frms / std::max(n, 1))});
    r.metrics.push_back({"residual_moment_max_Nm", mmax});
    r.metrics.push_back({"residual_moment_rms_Nm", std::sqrt(mrms / std::max(n, 1))});
    r.metrics.push_back({"peak_external_force_N", grf_peak});

    // Mean height of the whole-body mass centre over the run: the length of Hicks et al.'s
    // moment threshold.
    SimTK::State s = model.defaultState();
    double com_height = 0;
    for (int k = 0; k < n; ++k) {
        for (int c = 0; c < nc; ++c) model.setCoordinate(s, c, r.q.at(k, c));
        model.system().realize(s, SimTK::Stage::Position);
        com_height += model.matter().calcSystemMassCenterLocationInGround(s)[1] / n;
    }
    r.metrics.push_back({"com_height_m", com_height});
    // Where the foot stands in mid-stance: the height of each foot's origin above its centre of
    // pressure, averaged over the samples with a vertical ground reaction of at least one body
    // weight (the foot flat in running). A foot hovering above the ground or sunk into it means
    // the kinematics were solved on a model with other segment lengths: the ground reaction
    // then acts at the wrong place on the foot and biases the ankle, knee and hip moments.
    const double bw = model.subject().mass * 9.80665;
    const char* feet[2] = {"foot_r", "foot_l"};
    const char* sides[2] = {"r", "l"};
    double foot_height[2] = {std::nan(""), std::nan("")};
    for (int f = 0; f < 2 && r.grf_cop.rows() == n; ++f) {
        const SimTK::MobilizedBody& foot = model.matter().getMobilizedBody(model.bodyIndex(feet[f]));
        double sum = 0;
        int count = 0;
        for (int k = 0; k < n; ++k) {
            if (r.grf_force.at(k, 3 * f + 1) < bw) continue;
            for (int c = 0; c < nc; ++c) model.setCoordinate(s, c, r.q.at(k, c));
            model.system().realize(s, SimTK::Stage::Position);
            sum += foot.getBodyOriginLocation(s)[1] - r.grf_cop.at(k, 3 * f + 1);
            ++count;
        }
        if (count) {
            foot_height[f] = sum / count;
            r.metrics.push_back({std::string("foot_height_midstance_") + sides[f] + "_m", foot_height[f]});
        }
    }
    const std::string hicks = "Hicks et al. 2015, J Biomech Eng 137:020905, sec. 3.1.3";
    const std::string best = "OpenSim best practices (RMS joint-angle error 2-5 deg, translations 2 cm)";
    r.checks.push_back({"residual_force_max", fmax, 0.05 * grf_peak, "N", hicks + ": 5% of the peak external force"});
    r.checks.push_back({"residual_force_rms", std::sqrt(frms / std::max(n, 1)), 0.05 * grf_peak, "N",
                        hicks + ": 5% of the peak external force"});
    r.checks.push_back({"residual_moment_rms", std::sqrt(mrms / std::max(n, 1)), 0.01 * com_height * grf_peak, "N m",
                        hicks + ": 1% of COM height x the peak external force"});
    for (int c = 0; c < nc; ++c) {
        const Coordinate& co = model.coordinates()[c];
        r.checks.push_back({"tracking_rms_" + co.name, tracking_rms[c], co.rotational ? 5.0 : 2.0, co.rotational ? "deg" : "cm", best});
    }
    // The foot on the ground (above): the built-in stride, whose centre of pressure was placed
    // on the foot by a rigid fit of the calcaneus, toe and fifth-metatarsal markers (Hamner &
    // Delp 2013 subject 01; docs/running_stride.md), puts the foot origin 4.2-4.5 cm above it
    // at 3.0-4.0 m/s. Allowed: 3 cm either way (the project's tolerance, wider than the 2 cm of
    // translation tracking to leave room for a forefoot strike's raised heel).
    for (int f = 0; f < 2; ++f)
        if (std::isfinite(foot_height[f]))
            r.checks.push_back({std::string("foot_on_ground_") + sides[f], 100 * std::abs(foot_height[f] - 0.044), 3.0, "cm",
                                "distance from 4.4 cm, the foot origin's height above the centre of pressure in mid-stance "
                                "on the built-in stride (Hamner & Delp 2013, centre of pressure placed by the foot markers); "
                                "project tolerance"});
    std::string failed;
    for (const QualityCheck& q : r.checks)
        if (!q.passed()) {
            std::ostringstream o;
            o << std::setprecision(3) << (failed.empty() ? "" : "; ") << q.name << " " << q.value << " > " << q.limit << " "
              << q.unit;
            failed += o.str();
        }
    if (!failed.empty() && r.status.ok()) r.status = RunStatus::overThresholds(failed);
}

void finishRun(const Model& model, const ReferenceMotion& ref, const CmcOptions& opt, double warm_up, RunResult& out);

// One CMC pass: the first of a planned run fills `capture`, the second tracks `plan`.
RunResult runPass(const Model& model, const ReferenceMotion& ref, const CmcOptions& opt, PlanProblem* capture,
                  const std::vector<std::vector<double>>* plan) {
    const auto start = std::chrono::steady_clock::now();
    RunResult out;
    CmcWorkspace ws(model, ref, opt);
    const int nc = ws.nc;
    ws.capture = capture;
    ws.plan = plan;
    if (capture) {
        capture->nm = ws.nm;
        capture->ne = ws.ne;
        capture->weight = ws.weight;
        capture->amax = ws.amax;
        capture->actuator_gain.resize(ws.ne);
        capture->actuator_bound.resize(ws.ne);
        for (int e = 0; e < ws.ne; ++e) {
            const bool p = ws.is_pelvis[ws.rows[e].coord];
            capture->actuator_gain[e] = p ? opt.residual_optimal : ws.reserve_unit[ws.rows[e].coord];
            capture->actuator_bound[e] = (p ? opt.residual_max : opt.reserve_max) / capture->actuator_gain[e];
        }
        capture->tau_activation = ws.dyn.tau_activation;
        capture->tau_deactivation = ws.dyn.tau_deactivation;
    }

    // Initial state on the reference, activations from a first static optimisation, n_warm
    // control intervals before the first recorded sample t0 (CmcOptions::warm_up): on a
    // periodic reference before its start, on another within its lead-in.
    if (!(opt.warm_up >= 0)) throw UserError("control: warm-up must be >= 0 s");
    const double t0 = ref.startTime() + ref.leadIn();
    const int n_warm = ref.strideTime() > 0
                           ? static_cast<int>(std::lround(opt.warm_up / opt.interval))
                           : static_cast<int>(std::floor(std::min(opt.warm_up, ref.leadIn()) / opt.interval + 1e-9));
    const double t_begin = t0 - n_warm * opt.interval;
    SimTK::State s = model.defaultState();
    s.setTime(t_begin);
    model.forces().setExternalLoads(s, &ref);
    model.forces().setStrength(s, ws.strength);
    model.forces().setLengthScale(s, ws.lscale);
    ref.coordinates(t_begin, ws.q_ref.data(), ws.qd_ref.data(), ws.qdd_ref.data());
    setCoordinateState(model, s, ws.q_ref.data(), ws.qd_ref.data());
    std::vector<double> a0(ws.nm, 0.05);
    model.forces().setActivations(s, a0);
    // Elastic tendons start in equilibrium with each pass's activations, so that the force
    // gains of the next pass are those of the fibre lengths the run will start from.
    for (int pass = 0; pass < 3; ++pass) {
        model.forces().equilibrateFibers(s);
        if (!ws.control(s)) break;
        model.forces().setActivations(s, ws.act_target);
    }
    model.forces().equilibrateFibers(s);

    SimTK::RungeKuttaMersonIntegrator integ(model.system());
    integ.setAccuracy(opt.accuracy);
    integ.setAllowInterpolation(false);
    integ.setInternalStepLimit(opt.max_steps_per_interval);
    integ.initialize(s);
    const double t_end = ref.endTime();
    const int intervals = n_warm + static_cast<int>(std::ceil((t_end - t0) / opt.interval - 1e-9));
    try {
        for (int k = 0; k < intervals; ++k) {
            SimTK::State& adv = integ.updAdvancedState();
            const auto c0 = std::chrono::steady_clock::now();
            ws.interval = k;
            if (plan && k >= static_cast<int>(plan->size())) {
                out.status = RunStatus::failed("the activation plan ends before the run (interval " + std::to_string(k) + ")");
                break;
            }
            const bool ok = ws.control(adv);
            out.control_time += std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count();
            ++out.control_intervals;
            if (!ok) { out.status = RunStatus::failed(ws.last_failure); break; }
            integ.reinitialize(SimTK::Stage::Dynamics, false);
            if (k >= n_warm) ws.record(integ.getState(), out);
            const double t_next = k < n_warm ? t_begin + (k + 1) * opt.interval
                                             : std::min(t_end, t0 + (k + 1 - n_warm) * opt.interval);
            bool stalled = false;
            while (integ.getTime() < t_next - 1e-12) {
                const auto status = integ.stepTo(t_next);
                if (status == SimTK::Integrator::ReachedStepLimit) { stalled = true; break; }
                if (status == SimTK::Integrator::EndOfSimulation || integ.isSimulationOver()) break;
            }
            if (stalled) {
                out.status = RunStatus::failed("integration stalled at t = " + std::to_string(integ.getTime()) + " s: more than " +
                                             std::to_string(opt.max_steps_per_interval) +
                                             " integrator steps in one control interval");
                break;
            }
            if (integ.isSimulationOver() && integ.getTime() < t_next - 1e-12) {
                out.status = RunStatus::failed(std::string("integration stopped at t = ") + std::to_string(integ.getTime()) +
                                             " s: " +
                                             SimTK::Integrator::getTerminationReasonString(integ.getTerminationReason()));
                break;
            }
            for (int c = 0; c < nc; ++c)
                if (!std::isfinite(model.getCoordinate(integ.getState(), c))) {
                    out.status = RunStatus::failed("diverged: non-finite coordinate at t = " + std::to_string(integ.getTime()) + " s");
                    break;
                }
            if (!out.status.ok()) break;
            if (opt.progress) opt.progress(static_cast<double>(k + 1) / intervals);
        }
        if (out.status.ok()) {
            // Final sample with the controls of the last interval.
            ws.record(integ.getState(), out);
        }
    } catch (const std::exception& e) {
        out.status = RunStatus::failed(std::string("simulation failed: ") + e.what());
    }
    out.qp_solves = ws.solves;
    out.qp_failures = ws.failures;
    out.integrator_steps = integ.getNumStepsTaken();
    if (!out.time.empty()) ws.addPassiveMetrics(out);
    finishRun(model, ref, opt, n_warm * opt.interval, out);
    out.wall_time = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

// The summary of a run's samples: checks and metrics, strides and their lumbar metrics,
// capacity use and running form. warm_up: the time simulated before the first sample.
void finishRun(const Model& model, const ReferenceMotion& ref, const CmcOptions& opt, double warm_up, RunResult& out) {
    if (!out.time.empty()) {
        summarise(model, out);
        out.metrics.push_back({"warm_up_s", warm_up});
        findStrides(ref, out);
        for (size_t k = 0; k < out.lumbar_force.size(); ++k) {
            out.lumbar_stride_metrics.push_back(strideMetrics(out, out.lumbar_force[k], ref.bodyWeight()));
            // Mean over strides into the summary.
            const Table& t = out.lumbar_stride_metrics.back();
            for (int c = 0; c < t.cols; ++c) {
                double mean = 0;
                for (int row = 0; row < t.rows(); ++row) mean += t.at(row, c) / t.rows();
                std::string unit;   // "BW s" -> BW_s, "BW/s" -> BW_per_s: names without spaces or slashes
                for (char ch : kStrideMetricUnits[c]) unit += ch == ' ' ? "_" : ch == '/' ? "_per_" : std::string(1, ch);
                out.metrics.push_back({model.lumbarLevels()[k].joint + "_" + kStrideMetricNames[c] + "_" + unit, mean});
            }
        }
        calcCapacityUse(model, opt.strength, opt.max_activation, out);
        calcFormMeasures(model, out);
    }
}

// ControlMode::Static: the reference's samples one by one, each on the reference (q, qd), with
// the static optimisation of CmcWorkspace::control() for its own accelerations; every tendon
// rigid (a static optimisation has no fibre state to carry). The samples are those of a strict
// run: every control interval from the first recorded time to the reference's end.
RunResult runStatic(const Model& model, const ReferenceMotion& ref, const CmcOptions& opt) {
    const auto start = std::chrono::steady_clock::now();
    RunResult out;
    CmcWorkspace ws(model, ref, opt);
    ws.static_opt = true;
    SimTK::State s = model.defaultState();
    model.forces().setExternalLoads(s, &ref);
    model.forces().setStrength(s, ws.strength);
    model.forces().setLengthScale(s, ws.lscale);
    model.forces().setRigidTendons(s, true);
    model.forces().setActivations(s, std::vector<double>(ws.nm, 0.0));
    const double t0 = ref.startTime() + ref.leadIn(), t_end = ref.endTime();
    const int samples = static_cast<int>(std::ceil((t_end - t0) / opt.interval - 1e-9)) + 1;
    try {
        for (int k = 0; k < samples; ++k) {
            const double t = std::min(t_end, t0 + k * opt.interval);
            s.setTime(t);
            ref.coordinates(t, ws.q_ref.data(), ws.qd_ref.data(), ws.qdd_ref.data());
            setCoordinateState(model, s, ws.q_ref.data(), ws.qd_ref.data());
            const auto c0 = std::chrono::steady_clock::now();
            const bool ok = ws.control(s);   // sets the activations and reserves of this instant
            out.control_time += std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count();
            ++out.control_intervals;
            if (!ok) { out.status = RunStatus::failed(ws.last_failure); break; }
            ws.record(s, out);
            if (opt.progress) opt.progress(static_cast<double>(k + 1) / samples);
        }
    } catch (const std::exception& e) {
        out.status = RunStatus::failed(std::string("static optimisation failed: ") + e.what());
    }
    out.qp_solves = ws.solves;
    out.qp_failures = ws.failures;
    if (!out.time.empty()) ws.addPassiveMetrics(out);
    finishRun(model, ref, opt, 0.0, out);
    out.wall_time = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

}  // namespace

std::vector<double> reserveOptimal(const Model& model, const CmcOptions& opt) {
    std::vector<double> out(model.coordinates().size(), opt.reserve_optimal);
    const std::vector<int> pelvis = pelvisCoordinates(model);
    for (const auto& [name, value] : opt.reserve_optimal_coordinate) {
        const std::string key = "control.reserve_optimal." + name;
        const int c = model.coordinateIndex(name);
        if (c < 0) throw UserError("key '" + key + "': the model has no coordinate '" + name + "'");
        if (std::find(pelvis.begin(), pelvis.end(), c) != pelvis.end())
            throw UserError("key '" + key + "': '" + name + "' is a pelvis coordinate, which has a residual, not a reserve (control.residual_optimal)");
        if (!(value > 0)) throw UserError("key '" + key + "': the optimal torque must be positive, not " + std::to_string(value));
        out[c] = value;
    }
    return out;
}

RunResult runCmc(const Model& model, const ReferenceMotion& ref, const CmcOptions& opt) {
    if (opt.mode == ControlMode::Static) {
        if (opt.plan) throw UserError("control.plan = run plans a simulation's activations; control.mode = static has none");
        return runStatic(model, ref, opt);
    }
    if (!opt.plan) return runPass(model, ref, opt, nullptr, nullptr);
    if (opt.cost == ActivationCost::Cubed)
        throw UserError("control.plan = run needs a quadratic activation cost (control.cost squared or volume), not cubed");
    const auto start = std::chrono::steady_clock::now();
    // Progress: the first pass to 45 %, the second from 55 %.
    CmcOptions first_opt = opt, second_opt = opt;
    if (opt.progress) {
        first_opt.progress = [&opt](double f) { opt.progress(0.45 * f); };
        second_opt.progress = [&opt](double f) { opt.progress(0.55 + 0.45 * f); };
    }
    PlanProblem problem;
    RunResult first = runPass(model, ref, first_opt, &problem, nullptr);
    if (!first.status.finished()) return first;
    // The plan's nodes: every plan_stride-th interval's rows, the activation bounds over the
    // intervals between them; the plan interpolated linearly back to every interval's end.
    const int K = static_cast<int>(problem.nodes.size()), stride = std::max(1, opt.plan_stride);
    std::vector<PlanNode> nodes;
    std::vector<int> end_of;   // per node, the interval it ends
    double T = 0;
    for (int k = 0; k < K; ++k) {
        T += problem.nodes[k].T;
        if ((k + 1) % stride == 0 || k + 1 == K) {
            nodes.push_back(std::move(problem.nodes[k]));
            nodes.back().T = T;
            end_of.push_back(k);
            T = 0;
        }
    }
    problem.nodes = std::move(nodes);
    const ActivationPlan plan = solveActivationPlan(problem);
    if (!plan.converged) {
        first.status = RunStatus::failed("activation plan did not converge in " + std::to_string(plan.iterations) +
                                         " iterations (largest split " + std::to_string(plan.max_split) +
                                         "; control.plan): the results are the first pass's, each interval optimised alone");
        return first;
    }
    std::vector<std::vector<double>> targets(K, std::vector<double>(problem.nm));
    for (size_t n = 0; n < end_of.size(); ++n) {
        const std::vector<double>& a0 = n == 0 ? problem.a_start : plan.a[n - 1];
        const int k0 = n == 0 ? -1 : end_of[n - 1];
        for (int k = k0 + 1; k <= end_of[n]; ++k) {
            const double f = static_cast<double>(k - k0) / (end_of[n] - k0);
            for (int i = 0; i < problem.nm; ++i) targets[k][i] = (1 - f) * a0[i] + f * plan.a[n][i];
        }
    }
    RunResult out = runPass(model, ref, second_opt, nullptr, &targets);
    out.metrics.push_back({"plan_cost_first_pass", plan.objective_first_pass});
    out.metrics.push_back({"plan_cost_first_pass_feasible", plan.objective_first_pass_feasible});
    out.metrics.push_back({"plan_cost", plan.objective});
    out.metrics.push_back({"plan_activation_cost_first_pass", plan.activation_cost_first_pass});
    out.metrics.push_back({"plan_activation_cost", plan.activation_cost});
    out.metrics.push_back({"plan_max_split", plan.max_split});
    out.metrics.push_back({"plan_first_pass_violation", plan.first_pass_violation});
    out.metrics.push_back({"plan_iterations", static_cast<double>(plan.iterations)});
    out.metrics.push_back({"plan_qp_failures", static_cast<double>(plan.qp_failures)});
    out.metrics.push_back({"plan_wall_s", plan.wall_time});
    out.control_time += first.control_time;
    out.control_intervals += first.control_intervals;
    out.qp_solves += first.qp_solves;
    out.integrator_steps += first.integrator_steps;
    out.wall_time = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

}  // namespace corestride
