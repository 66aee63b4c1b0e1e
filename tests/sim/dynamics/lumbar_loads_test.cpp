// Lumbar reaction loads against an independent free-body computation in static postures:
// the L5/S1 reaction must balance the weight of everything above it plus the forces of the
// muscles that act on the bodies above it (Newton-Euler on the upper body, u = udot = 0).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "cmc.h"
#include "inverse_dynamics.h"
#include "lumbar_loads.h"
#include "model_forces.h"
#include "model_parser.h"
#include "moment_arms.h"
#include "muscle_path.h"
#include "qp_solver.h"
#include "reference_motion.h"
#include "run.h"
#include "scenario.h"
#include "paths.h"

using namespace corestride;

namespace {

struct Posture {
    double lumbar_ext, lumbar_bend, lumbar_rot, hip_flex, activation_trunk;
};

// Bodies above a lumbar level: its upper vertebra and every body whose chain to ground passes
// through it.
std::vector<bool> bodiesAbove(const Model& model, const LumbarLevel& level) {
    std::vector<bool> upper(model.matter().getNumBodies(), false);
    for (SimTK::MobilizedBodyIndex b(1); b < model.matter().getNumBodies(); ++b) {
        SimTK::MobilizedBodyIndex a = b;
        while (a != 0 && a != level.body) a = model.matter().getMobilizedBody(a).getParentMobilizedBody().getMobilizedBodyIndex();
        upper[b] = (a == level.body);
    }
    return upper;
}

// Sample k of run r as a state realized to Acceleration: the recorded coordinates, muscles
// passive only, and reserves that make the forward accelerations those recorded. tau gets
// the inverse-dynamics generalized forces per coordinate and residual_u the same per mobility
// (each lumbar level's own three), both before the reserves are applied. With `opt`, the
// muscles have that run's strength and length factors (a weakened runner).
SimTK::State recordedState(const Model& model, const ReferenceMotion& ref, const RunResult& r, int k,
                           std::vector<double>& tau, SimTK::Vector& residual_u, const CmcOptions* opt = nullptr) {
    const int nc = static_cast<int>(model.coordinates().size()), nm = static_cast<int>(model.muscles().size());
    std::vector<double> q(nc), qd(nc), qdd(nc);
    tau.assign(nc, 0.0);
    SimTK::Vector udot;
    SimTK::State s = model.defaultState();
    model.forces().setExternalLoads(s, &ref);
    if (opt) {
        model.forces().setStrength(s, opt->strength);
        model.forces().setLengthScale(s, opt->length_scale);
    }
    s.setTime(r.time[k]);
    for (int c = 0; c < nc; ++c) { q[c] = r.q.at(k, c); qd[c] = r.qd.at(k, c); qdd[c] = r.qdd.at(k, c); }
    setCoordinateState(model, s, q.data(), qd.data());
    model.forces().setActivations(s, std::vector<double>(nm, 0.0));
    coordinateToMobility(model, qdd.data(), udot);
    calcMissingForces(model, s, udot, tau.data());
    calcMissingMobilityForces(model, s, udot, residual_u);
    SimTK::Vector tau_u(model.numMobilities(), 0.0);
    for (int c = 0; c < nc; ++c) model.addCoordinateForce(c, tau[c], tau_u);
    model.forces().setReserves(s, tau_u);
    model.system().realize(s, SimTK::Stage::Acceleration);
    return s;
}

// The programmes that bound a load at one instant. Unknowns: activations in [0, 1], then one
// reserve per coordinate producing `tau` with the moment arms R. With `per_activation` as the
// linear cost the programme finds the least of that load (reserves cost 10^4 per (N m)^2, so
// muscles always win; a small quadratic term in the activations, at most 1 N, keeps it strictly
// convex); leastEffort() turns it into the static optimisation with CMC's criterion (sum of
// squared activations, reserves at 1 N m per unit).
BoxQP leastLoadProgram(const Eigen::MatrixXd& R, const std::vector<MuscleState>& ms, const std::vector<double>& per_activation,
                       const std::vector<double>& tau) {
    const int nm = static_cast<int>(per_activation.size()), nc = static_cast<int>(tau.size()), n = nm + nc;
    BoxQP lp;
    lp.h.resize(n); lp.c.setZero(n); lp.A.setZero(nc, n); lp.b.resize(nc); lp.lo.resize(n); lp.hi.resize(n);
    for (int i = 0; i < nm; ++i) {
        lp.h[i] = 2.0;
        lp.c[i] = per_activation[i];
        lp.lo[i] = 0; lp.hi[i] = 1;
        for (int c = 0; c < nc; ++c) lp.A(c, i) = R(c, i) * ms[i].force_gain;
    }
    for (int c = 0; c < nc; ++c) {
        lp.b[c] = tau[c];
        lp.A(c, nm + c) = 1;
        lp.h[nm + c] = 2e4;
        lp.lo[nm + c] = -1e6; lp.hi[nm + c] = 1e6;
    }
    return lp;
}

void leastEffort(BoxQP& lp, int nm) {
    for (int i = 0; i < nm; ++i) lp.c[i] = 0;
    for (int j = nm; j < static_cast<int>(lp.h.size()); ++j) lp.h[j] = 2.0;
}

// The load the activations `x` give: the passive part plus each muscle's share.
double loadOf(double passive, const std::vector<double>& per_activation, const Eigen::VectorXd& x) {
    double v = passive;
    for (size_t i = 0; i < per_activation.size(); ++i) v += per_activation[i] * x[static_cast<int>(i)];
    return v;
}

}  // namespace

TEST_CASE("L5/S1 reaction equals the free-body balance of the upper body in static postures", "[lumbar_loads]") {
    auto m = Model::build(readModelFile(defaultModelPath()), Subject{});
    const Model& model = *m;
    const int nm = static_cast<int>(model.muscles().size()), nc = static_cast<int>(model.coordinates().size());
    const LumbarLevel& l5s1 = model.lumbarLevels().front();
    REQUIRE(l5s1.joint == "L5_S1");
    const std::vector<bool> upper = bodiesAbove(model, l5s1);
    for (const Posture& p : {Posture{0, 0, 0, 0, 0.2}, Posture{-0.4, 0.1, 0.05, 0.3, 0.5}, Posture{0.2, -0.15, -0.2, -0.2, 0.8}}) {
        SimTK::State s = model.defaultState();
        model.setCoordinate(s, model.coordinateIndex("pelvis_ty"), 1.0);
        model.setCoordinate(s, model.coordinateIndex("lumbar_extension"), p.lumbar_ext);
        model.setCoordinate(s, model.coordinateIndex("lumbar_bending"), p.lumbar_bend);
        model.setCoordinate(s, model.coordinateIndex("lumbar_rotation"), p.lumbar_rot);
        model.setCoordinate(s, model.coordinateIndex("hip_flexion_r"), p.hip_flex);
        std::vector<double> a(nm, 0.05);
        for (int i = 0; i < nm; ++i)
            if (model.muscles()[i].path.front().body == model.bodyIndex("pelvis") && upper[model.muscles()[i].path.back().body])
                a[i] = p.activation_trunk;
        model.forces().setActivations(s, a);
        // Hold the posture: reserves that make every acceleration zero.
        std::vector<double> tau_c(nc);
        SimTK::Vector udot(model.numMobilities(), 0.0), tau_u(model.numMobilities(), 0.0);
        calcMissingForces(model, s, udot, tau_c.data());
        for (int c = 0; c < nc; ++c) model.addCoordinateForce(c, tau_c[c], tau_u);
        model.forces().setReserves(s, tau_u);
        model.system().realize(s, SimTK::Stage::Acceleration);
        REQUIRE(s.getUDot().normInf() < 1e-8);

        // Free body of the upper bodies: gravity and the muscle forces acting on them, about
        // the L5/S1 joint centre, in ground.
        const SimTK::Vec3 g(0, -9.80665, 0);
        const SimTK::Vec3 centre = model.matter().getMobilizedBody(l5s1.parent).getBodyTransform(s) * l5s1.X_PD.p();
        SimTK::Vec3 F(0), M(0);
        double weight = 0;   // of the upper bodies, N
        for (SimTK::MobilizedBodyIndex b(1); b < model.matter().getNumBodies(); ++b) {
            if (!upper[b]) continue;
            const auto& mb = model.matter().getMobilizedBody(b);
            const SimTK::Vec3 com = mb.getBodyTransform(s) * mb.getBodyMassCenterStation(s);
            F += mb.getBodyMass(s) * g;
            weight += mb.getBodyMass(s) * 9.80665;
            M += SimTK::cross(com - centre, mb.getBodyMass(s) * g);
        }
        const auto& states = model.forces().getMuscleStates(s);
        const auto& paths = model.forces().getPaths(s);
        for (int i = 0; i < nm; ++i)
            for (const PathForcePoint& fp : paths[i].points) {
                if (!upper[fp.body]) continue;
                const SimTK::Vec3 f = states[i].force * fp.dir_G;
                const SimTK::Vec3 at = model.matter().getMobilizedBody(fp.body).getBodyTransform(s) * fp.p_B;
                F += f;
                M += SimTK::cross(at - centre, f);
            }
        // The joint carries the rest: reaction on L5 = -(F, M). In the reported convention the
        // load is the reaction expressed in the disc frame.
        JointLoadWorkspace ws;
        JointLoads loads;
        calcJointLoads(model, s, ws, loads);
        const SimTK::Rotation R_GD =
            model.matter().getMobilizedBody(l5s1.parent).getBodyRotation(s) * l5s1.X_PD.R();
        const SimTK::Vec3 R_D = ~R_GD * (-F), M_D = ~R_GD * (-M);
        const LevelLoad& L = loads.lumbar.front();
        INFO("posture ext " << p.lumbar_ext << " compression " << L.force[0] << " N");
        CHECK(L.force[0] == Approx(R_D[1]).margin(1e-6));
        CHECK(L.force[1] == Approx(-R_D[0]).margin(1e-6));
        CHECK(L.force[2] == Approx(-R_D[2]).margin(1e-6));
        for (int k = 0; k < 3; ++k) CHECK(L.moment[k] == Approx(-M_D[k]).margin(1e-6));
        // Upright, the muscles pulling the trunk down add to its weight: compression exceeds it.
        if (p.lumbar_ext == 0) CHECK(L.force[0] > weight);
    }
}

TEST_CASE("the passive share of the lumbar moment is the disc stiffness torque", "[lumbar_loads]") {
    auto m = Model::build(readModelFile(defaultModelPath()), Subject{});
    const Model& model = *m;
    SimTK::State s = model.defaultState();
    model.forces().setMusclesEnabled(s, false);
    model.setCoordinate(s, model.coordinateIndex("lumbar_extension"), 0.2);   // extension
    model.system().realize(s, SimTK::Stage::Acceleration);
    JointLoadWorkspace ws;
    JointLoads loads;
    calcJointLoads(model, s, ws, loads);
    for (size_t k = 0; k < loads.lumbar.size(); ++k) {
        const LumbarLevel& lv = model.lumbarLevels()[k];
        const double theta = s.getQ()[lv.u0 + lv.slot_extension];
        // Extension about the disc frame's z axis (the joint frames' first gimbal axis at q = 0
        // is z); the torque the spring applies to the upper body is -k theta, and the reported
        // moment is the upper body's on the joint: +k theta about z, near upright.
        CHECK(loads.lumbar[k].passive_moment[2] == Approx(lv.k_extension * theta).epsilon(0.05));
        CHECK(loads.lumbar[k].reserve_moment.norm() == 0.0);
    }
}

namespace {

// Compression at L5/S1 and L4/L5 at every sample of the strict CMC run of the default
// scenario (built-in stride at 3.5 m/s, 75 kg, residual reduction on: the run that the
// validation case running_3.5 reports), taken apart: the upper body's inertial force with the
// passive muscle forces; CMC's value rebuilt from a free-body identity; the least any
// activations in [0, 1] can give while producing the inverse-dynamics generalized forces of
// the simulated motion (a linear programme); and a static optimisation of the same instant
// with CMC's criterion (sum of squared activations, reserves at 1 N m per unit, no activation
// dynamics).
struct LevelSample {
    double recorded = 0, rebuilt = 0, passive = 0, least = 0, static_opt = 0;
    // Static optimisation with every lumbar level balanced on its own (multi-joint
    // equilibrium, Gagnon et al. 2011): the muscles, not the coupling constraint, carry each
    // level's moment; reserves per level mobility at the same cost as the others.
    double static_opt_levels = 0;
    double level_reserve = 0;   // N m, largest |reserve| on a lumbar mobility in that solution
};

struct Sample {
    double time = 0;
    bool flight = false;       // no ground force on either foot
    LevelSample level[2];      // L5/S1, L4/L5
};

struct Decomposition {
    double body_weight = 0;
    std::vector<Sample> samples;
};

const Decomposition& strideDecomposition() {
    static const Decomposition d = [] {
        Decomposition out;
        const Scenario scenario = Scenario::resolve("", {});
        const ScenarioRun setup = runScenarioSetup(scenario.settings());
        const Model& model = *setup.model;
        out.body_weight = setup.reference->bodyWeight();
        const RunResult r = runCmc(model, *setup.reference, runOptions(model, scenario.settings()));
        if (!r.status.ok()) return out;
        const int nm = static_cast<int>(model.muscles().size()), nc = static_cast<int>(model.coordinates().size());
        std::vector<bool> upper[2];
        for (int l = 0; l < 2; ++l) upper[l] = bodiesAbove(model, model.lumbarLevels()[l]);
        std::vector<double> tau;
        MomentArmWorkspace maw;
        Eigen::MatrixXd R, R_u;
        JointLoadWorkspace jlw;
        JointLoads loads;
        ActiveSetQP solver(nm + nc, nc);
        // Equations of the multi-joint balance: every coordinate that is not lumbar, and the
        // three mobilities of every lumbar level.
        std::vector<int> plain_coords, level_u;
        for (int c = 0; c < nc; ++c)
            if (model.coordinates()[c].u.size() == 1) plain_coords.push_back(c);
        for (const LumbarLevel& lv : model.lumbarLevels())
            for (int a = 0; a < 3; ++a) level_u.push_back(lv.u0 + a);
        const int ne = static_cast<int>(plain_coords.size() + level_u.size());
        ActiveSetQP solver_levels(nm + ne, ne);
        for (int k = 0; k < r.q.rows(); ++k) {
            Sample smp;
            smp.time = r.time[k];
            smp.flight = r.grf_force.at(k, 1) <= kContactForce && r.grf_force.at(k, 4) <= kContactForce;
            SimTK::Vector residual_u;
            const SimTK::State s = recordedState(model, *setup.reference, r, k, tau, residual_u);
            calcJointLoads(model, s, jlw, loads);
            calcMomentArmMatrix(model, s, maw, R, &R_u);
            const auto& ms = model.forces().getMuscleStates(s);
            std::vector<double> per_activation_level[2];
            const auto& paths = model.forces().getPaths(s);
            bool solved = true;
            for (int l = 0; l < 2 && solved; ++l) {
                const LumbarLevel& level = model.lumbarLevels()[l];
                LevelSample& f = smp.level[l];
                f.recorded = r.lumbar_force[l].at(k, 0);
                f.passive = loads.lumbar[l].force[0];
                // Compression per unit activation of each muscle: minus the component along
                // the disc axis of the force it applies to the bodies above the level (the
                // free-body identity of the static-posture test above).
                const SimTK::Vec3 y_G = model.matter().getMobilizedBody(level.parent).getBodyRotation(s) * level.X_PD.R() *
                                        SimTK::Vec3(0, 1, 0);
                std::vector<double> per_activation(nm, 0.0);
                for (int i = 0; i < nm; ++i)
                    for (const PathForcePoint& fp : paths[i].points)
                        if (upper[l][fp.body]) per_activation[i] -= ms[i].force_gain * SimTK::dot(fp.dir_G, y_G);
                f.rebuilt = f.passive;
                for (int i = 0; i < nm; ++i) f.rebuilt += per_activation[i] * r.activation.at(k, i);

                BoxQP lp = leastLoadProgram(R, ms, per_activation, tau);
                const QPResult& least = solver.solve(lp, false);
                if (least.status != QPStatus::Optimal) { solved = false; break; }
                f.least = loadOf(f.passive, per_activation, least.x);
                leastEffort(lp, nm);
                const QPResult& so = solver.solve(lp, false);
                if (so.status != QPStatus::Optimal) { solved = false; break; }
                f.static_opt = loadOf(f.passive, per_activation, so.x);
                per_activation_level[l] = per_activation;
            }
            if (solved) {
                BoxQP ml;
                const int n = nm + ne;
                ml.h.resize(n); ml.c.setZero(n); ml.A.setZero(ne, n); ml.b.resize(ne); ml.lo.resize(n); ml.hi.resize(n);
                for (int i = 0; i < nm; ++i) {
                    ml.h[i] = 2.0;
                    ml.lo[i] = 0; ml.hi[i] = 1;
                    int e = 0;
                    for (int c : plain_coords) ml.A(e++, i) = R(c, i) * ms[i].force_gain;
                    for (int u : level_u) ml.A(e++, i) = R_u(u, i) * ms[i].force_gain;
                }
                int e = 0;
                for (int c : plain_coords) ml.b[e++] = tau[c];
                for (int u : level_u) ml.b[e++] = residual_u[u];
                for (int row = 0; row < ne; ++row) {
                    ml.A(row, nm + row) = 1;
                    ml.h[nm + row] = 2.0;
                    ml.lo[nm + row] = -1e6; ml.hi[nm + row] = 1e6;
                }
                const QPResult& sol = solver_levels.solve(ml, false);
                solved = sol.status == QPStatus::Optimal;
                double reserve = 0;
                for (int row = static_cast<int>(plain_coords.size()); row < ne && solved; ++row)
                    reserve = std::max(reserve, std::abs(sol.x[nm + row]));
                for (int l = 0; l < 2 && solved; ++l) {
                    LevelSample& f = smp.level[l];
                    f.static_opt_levels = f.passive;
                    for (int i = 0; i < nm; ++i) f.static_opt_levels += per_activation_level[l][i] * sol.x[i];
                    f.level_reserve = reserve;
                }
            }
            if (solved) out.samples.push_back(smp);
        }
        return out;
    }();
    return d;
}

}  // namespace

TEST_CASE("flight: L5/S1 compression is the free-body sum of inertia and muscle forces, above the inverse-dynamics bound",
          "[lumbar_loads]") {
    // In flight only gravity acts from outside, so the compression is the upper body's
    // inertial force plus what the muscles crossing L5/S1 add. Whatever muscles CMC chose, the
    // compression cannot be lower than the least that any muscle forces producing the
    // inverse-dynamics moments of the same motion give.
    const Decomposition& d = strideDecomposition();
    std::vector<LevelSample> flight;
    for (const Sample& smp : d.samples)
        if (smp.flight) flight.push_back(smp.level[0]);
    REQUIRE(flight.size() >= 40);   // two flight phases of about 0.1 s at 2.5 ms
    double least = 0, cmc = 0, passive = 0;
    for (const LevelSample& f : flight) {
        INFO("recorded " << f.recorded << " N, rebuilt " << f.rebuilt << " N, inertial and passive "
                    << f.passive << " N, least " << f.least << " N");
        CHECK(f.rebuilt == Approx(f.recorded).epsilon(1e-6).margin(1e-3));
        CHECK(f.least <= f.recorded + 2.0);   // 2 N: the regularising term
        // The upper body is in near free fall: inertia and passive muscle force explain almost
        // nothing (the pelvis accelerates the trunk by little more than gravity).
        CHECK(std::abs(f.passive) < 0.15 * d.body_weight);
        least += f.least / flight.size();
        cmc += f.recorded / flight.size();
        passive += f.passive / flight.size();
    }
    // For the record (docs/lumbar_audit.md, finding 7): the bound lies far below CMC's value,
    // because the same moments can be produced with iliacus for the swing hip and upper-lumbar
    // fascicles for the trunk (through the coupling), without psoas.
    WARN("flight L5/S1 mean compression: inertial and passive " << passive / d.body_weight << " BW, least "
                                                                << least / d.body_weight << " BW, CMC " << cmc / d.body_weight
                                                                << " BW");
}

TEST_CASE("flight: L5/S1 compression agrees with a static optimisation of the same instants (known deviation)",
          "[lumbar_loads][!shouldfail]") {
    // Known deviation (docs/lumbar_audit.md, finding 7): muscles saturated at push-off cannot
    // deactivate within the 60 ms deactivation time, the exactly tracked ankle makes their
    // antagonists cancel them (tibialis anterior at excitation 1 against the lingering soleus),
    // and the chain reaches the hip and the psoas: CMC's mean flight compression is about twice
    // what a static optimisation of the same instants needs (2.25 against 1.11 BW; 2.62 before
    // the Achilles tendon was elastic, finding 12). This test fails while that
    // lasts, and reports an unexpected pass once a control law anticipates deactivation.
    const Decomposition& d = strideDecomposition();
    double so = 0, cmc = 0;
    int n = 0;
    for (const Sample& smp : d.samples)
        if (smp.flight) { so += smp.level[0].static_opt_levels; cmc += smp.level[0].recorded; ++n; }
    REQUIRE(n >= 40);
    so /= n;
    cmc /= n;
    INFO("mean flight compression: CMC " << cmc / d.body_weight << " BW, static optimisation " << so / d.body_weight << " BW");
    CHECK(cmc <= 1.25 * so);
}

TEST_CASE("stance: the L4/L5 and L5/S1 compression is the free-body sum of inertia and muscle forces, above the "
          "inverse-dynamics bound",
          "[lumbar_loads]") {
    // The peak compression of running, taken apart at the instant of CMC's peak
    // (docs/lumbar_audit.md, finding 10): what inertia, gravity, ground reaction and passive
    // tissue give; the least that any activations producing the same joint moments can give;
    // what a static optimisation with CMC's criterion gives; and CMC's value.
    const Decomposition& d = strideDecomposition();
    REQUIRE(d.samples.size() >= 250);   // 0.70 s at 2.5 ms; a failed instant would be missing
    const char* names[2] = {"L5/S1", "L4/L5"};
    for (int l = 0; l < 2; ++l) {
        size_t peak = 0;
        double so_peak = 0, levels_peak = 0, reserve_max = 0;
        for (size_t k = 0; k < d.samples.size(); ++k) {
            const LevelSample& f = d.samples[k].level[l];
            so_peak = std::max(so_peak, f.static_opt);
            levels_peak = std::max(levels_peak, f.static_opt_levels);
            reserve_max = std::max(reserve_max, f.level_reserve);
            INFO(names[l] << " t = " << d.samples[k].time << " s: recorded " << f.recorded << " N, rebuilt " << f.rebuilt
                          << " N, least " << f.least << " N");
            CHECK(f.rebuilt == Approx(f.recorded).epsilon(1e-6).margin(1e-3));
            CHECK(f.least <= f.recorded + 2.0);   // 2 N: the regularising term
            CHECK(f.least <= f.static_opt + 2.0);
            if (f.recorded > d.samples[peak].level[l].recorded) peak = k;
        }
        const LevelSample& p = d.samples[peak].level[l];
        // Mid-stance: the upper body is decelerated downward, so inertia, gravity and passive
        // tissue alone press the disc with more than the upper body's weight share (over half
        // the body weight, Dempster's head-arms-trunk).
        CHECK(!d.samples[peak].flight);
        CHECK(p.passive > 0.5 * d.body_weight);
        WARN(names[l] << " peak compression at t = " << d.samples[peak].time << " s, in BW: inertia, gravity and passive "
                      << p.passive / d.body_weight << ", least with muscles " << p.least / d.body_weight
                      << ", static optimisation " << p.static_opt / d.body_weight << ", CMC " << p.recorded / d.body_weight
                      << "; static optimisation with every level balanced " << p.static_opt_levels / d.body_weight
                      << " (largest lumbar reserve " << p.level_reserve << " N m); over the stride, peak static optimisation "
                      << so_peak / d.body_weight << ", with every level balanced " << levels_peak / d.body_weight
                      << " BW (largest lumbar reserve " << reserve_max << " N m)");
    }
}

TEST_CASE("hip: the peak contact force is the free-body sum of the leg's dynamics and muscle forces, above the "
          "inverse-dynamics bound",
          "[lumbar_loads]") {
    // The peak right hip contact force of the default run taken apart at its instant
    // (docs/lumbar_audit.md, finding 11), along the direction of the recorded force: the leg's
    // inertia, gravity, ground reaction and passive forces; the least that any activations
    // producing the same joint moments can give; a static optimisation with the sum of squared
    // activations; and CMC's value.
    const Scenario scenario = Scenario::resolve("", {});
    const ScenarioRun setup = runScenarioSetup(scenario.settings());
    const Model& model = *setup.model;
    const double bw = setup.reference->bodyWeight();
    const RunResult r = runCmc(model, *setup.reference, runOptions(model, scenario.settings()));
    REQUIRE(r.status.ok());
    const int nm = static_cast<int>(model.muscles().size()), nc = static_cast<int>(model.coordinates().size());
    // The right leg: the femur and every body whose chain to ground passes through it.
    const SimTK::MobilizedBodyIndex femur = model.bodyIndex("femur_r");
    std::vector<bool> leg(model.matter().getNumBodies(), false);
    for (SimTK::MobilizedBodyIndex b(1); b < model.matter().getNumBodies(); ++b) {
        SimTK::MobilizedBodyIndex a = b;
        while (a != 0 && a != femur) a = model.matter().getMobilizedBody(a).getParentMobilizedBody().getMobilizedBodyIndex();
        leg[b] = (a == femur);
    }
    int k = 0;
    double recorded = 0;
    for (int i = 0; i < r.hip_force.rows(); ++i) {
        const double m = std::hypot(r.hip_force.at(i, 0), r.hip_force.at(i, 1), r.hip_force.at(i, 2));
        if (m > recorded) { recorded = m; k = i; }
    }
    std::vector<double> tau;
    SimTK::Vector residual_u;
    const SimTK::State s = recordedState(model, *setup.reference, r, k, tau, residual_u);
    JointLoadWorkspace jlw;
    JointLoads loads;
    calcJointLoads(model, s, jlw, loads);
    MomentArmWorkspace maw;
    Eigen::MatrixXd R;
    calcMomentArmMatrix(model, s, maw, R);
    const auto& ms = model.forces().getMuscleStates(s);
    const auto& paths = model.forces().getPaths(s);
    // Along the recorded force (pelvis frame): the femur pushes the pelvis with every muscle
    // force that pulls the leg toward it, so each muscle adds its pull on the leg's bodies.
    const SimTK::Vec3 f_P(r.hip_force.at(k, 0), r.hip_force.at(k, 1), r.hip_force.at(k, 2));
    const SimTK::Vec3 e_P = f_P / f_P.norm();
    const SimTK::Vec3 e_G = model.matter().getMobilizedBody(model.bodyIndex("pelvis")).getBodyRotation(s) * e_P;
    const double passive = SimTK::dot(loads.hip_force[0], e_P);
    std::vector<double> per_activation(nm, 0.0);
    for (int i = 0; i < nm; ++i)
        for (const PathForcePoint& fp : paths[i].points)
            if (leg[fp.body]) per_activation[i] += ms[i].force_gain * SimTK::dot(fp.dir_G, e_G);
    double rebuilt = passive;
    for (int i = 0; i < nm; ++i) rebuilt += per_activation[i] * r.activation.at(k, i);
    CHECK(rebuilt == Approx(recorded).epsilon(1e-6).margin(1e-3));

    BoxQP lp = leastLoadProgram(R, ms, per_activation, tau);
    ActiveSetQP solver(nm + nc, nc);
    const QPResult& least_x = solver.solve(lp, false);
    REQUIRE(least_x.status == QPStatus::Optimal);
    const double least = loadOf(passive, per_activation, least_x.x);
    leastEffort(lp, nm);
    const QPResult& so_x = solver.solve(lp, false);
    REQUIRE(so_x.status == QPStatus::Optimal);
    const double so = loadOf(passive, per_activation, so_x.x);
    CHECK(least <= so + 2.0);
    CHECK(least <= recorded + 2.0);
    // Mid-stance: the ground pushes the leg up against the pelvis.
    CHECK(r.grf_force.at(k, 1) > 1.5 * bw);
    WARN("right hip peak contact at t = " << r.time[k] << " s, in BW along its direction: leg dynamics, ground and passive "
                                          << passive / bw << ", least with muscles " << least / bw
                                          << ", static optimisation " << so / bw << ", CMC " << recorded / bw
                                          << "; hip moments flexion " << tau[model.coordinateIndex("hip_flexion_r")]
                                          << " N m, adduction " << tau[model.coordinateIndex("hip_adduction_r")]
                                          << " N m, rotation " << tau[model.coordinateIndex("hip_rotation_r")] << " N m");
}

TEST_CASE("shear: the L4/L5 and L5/S1 anterior shear is the free-body sum of the upper body's loads and the muscle "
          "forces, and its share by muscle group, healthy and with the deep core 100% weaker",
          "[lumbar_loads]") {
    // docs/lumbar_audit.md, finding 15: where the model's anterior shear comes from, and why it
    // falls when the deep core weakens. The identity is the compression's (test above) along the
    // disc's anterior axis: a muscle adds +F.x_D (its force on the bodies above the level) to
    // ap_shear = -f_D.x (docs/lumbar_loads.md).
    const char* const kGroups[] = {"erector_spinae_deep", "multifidus", "quadratus_lumborum", "psoas",
                                   "longissimus_thoracis", "latissimus_dorsi", "superficial_back", "abdominals"};
    const int ng = sizeof(kGroups) / sizeof(kGroups[0]);
    const char* const names[2] = {"L5/S1", "L4/L5"};
    double peak_of[2][2] = {{0, 0}, {0, 0}};   // [run][level]
    for (int run = 0; run < 2; ++run) {
        const Scenario scenario = Scenario::resolve("", run ? std::map<std::string, std::string>{{"weakness.deep_core", "1"}}
                                                             : std::map<std::string, std::string>{});
        const ScenarioRun setup = runScenarioSetup(scenario.settings());
        const Model& model = *setup.model;
        const CmcOptions opt = runOptions(model, scenario.settings());
        const RunResult r = runCmc(model, *setup.reference, opt);
        REQUIRE(r.status.ok());
        const int nm = static_cast<int>(model.muscles().size());
        // Each muscle's group: the first of kGroups it belongs to (the others: -1).
        std::vector<int> group_of(nm, -1);
        for (int i = 0; i < nm; ++i)
            for (int g = ng - 1; g >= 0; --g) {
                const int gi = model.groupIndex(kGroups[g]);
                REQUIRE(gi >= 0);
                const auto& mg = model.muscles()[i].groups;
                if (std::find(mg.begin(), mg.end(), gi) != mg.end()) group_of[i] = g;
            }
        for (int l = 0; l < 2; ++l) {
            const LumbarLevel& level = model.lumbarLevels()[l];
            const std::vector<bool> upper = bodiesAbove(model, level);
            int peak = 0;
            for (int k = 0; k < r.lumbar_force[l].rows(); ++k)
                if (r.lumbar_force[l].at(k, 1) > r.lumbar_force[l].at(peak, 1)) peak = k;
            std::vector<double> share(ng + 2, 0.0);   // groups, other muscles, upper body's loads with passive forces
            for (int k = 0; k < r.lumbar_force[l].rows(); ++k) {
                std::vector<double> tau;
                SimTK::Vector residual_u;
                const SimTK::State s = recordedState(model, *setup.reference, r, k, tau, residual_u, &opt);
                JointLoadWorkspace jlw;
                JointLoads loads;
                calcJointLoads(model, s, jlw, loads);
                const SimTK::Vec3 x_G = model.matter().getMobilizedBody(level.parent).getBodyRotation(s) * level.X_PD.R() *
                                        SimTK::Vec3(1, 0, 0);
                const auto& ms = model.forces().getMuscleStates(s);
                const auto& paths = model.forces().getPaths(s);
                double rebuilt = loads.lumbar[l].force[1];
                if (k == peak) share[ng + 1] = rebuilt;
                for (int i = 0; i < nm; ++i) {
                    double per_activation = 0;
                    for (const PathForcePoint& fp : paths[i].points)
                        if (upper[fp.body]) per_activation += ms[i].force_gain * SimTK::dot(fp.dir_G, x_G);
                    rebuilt += per_activation * r.activation.at(k, i);
                    if (k == peak) share[group_of[i] >= 0 ? group_of[i] : ng] += per_activation * r.activation.at(k, i);
                }
                INFO((run ? "deep core 100% weaker, " : "healthy, ") << names[l] << " t = " << r.time[k] << " s");
                CHECK(rebuilt == Approx(r.lumbar_force[l].at(k, 1)).epsilon(1e-6).margin(1e-3));
            }
            peak_of[run][l] = r.lumbar_force[l].at(peak, 1);
            std::ostringstream o;
            o << (run ? "deep core 100% weaker" : "healthy") << ", " << names[l] << " peak anterior shear "
              << r.lumbar_force[l].at(peak, 1) << " N at t = " << r.time[peak] << " s: upper body's inertia, weight and passive forces "
              << std::lround(share[ng + 1]) << " N";
            for (int g = 0; g < ng; ++g) o << ", " << kGroups[g] << " " << std::lround(share[g]) << " N";
            o << ", other muscles " << std::lround(share[ng]) << " N";
            WARN(o.str());
        }
    }
    // The healthy peaks are the run's summary (docs/lumbar_audit.md, finding 15: L5/S1 1249 N,
    // L4/L5 546 N at 3.5 m/s); the test checks the decomposition, not the direction of the change.
    CHECK(peak_of[0][0] > 0);
    CHECK(peak_of[0][1] > 0);
}
