// The user-data path: OpenSim kinematics and GRF files written from the built-in stride are
// read back into a reference that matches the built-in one.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "inverse_dynamics.h"
#include "model_parser.h"
#include "motion_reference.h"

using namespace corestride;
using Catch::Matchers::Contains;

namespace {

struct Files {
    std::string ik, grf;
};

// Kinematics at 100 Hz in degrees with an old SIMM header and a shuffled, padded column set;
// GRF at 1000 Hz in OpenSim external-loads columns.
Files writeFiles(const Model& m, const ReferenceMotion& ref, double t1) {
    const std::string base = "/tmp/corestride_motion_" + std::to_string(::getpid());
    Files f{base + "_ik.mot", base + "_grf.mot"};
    const int nc = static_cast<int>(m.coordinates().size());
    std::vector<double> q(nc), qd(nc), qdd(nc);
    std::ofstream ik(f.ik);
    const int rows = static_cast<int>(std::round(t1 / 0.01)) + 1;
    ik << "name test\ndatacolumns " << nc + 2 << "\ndatarows " << rows << "\notherdata 1\nrange 0 " << t1 << "\nendheader\n";
    ik << "time\tmarker_x";
    for (int c = nc - 1; c >= 0; --c) ik << "\t" << m.coordinates()[c].name;
    ik << "\n" << std::setprecision(12);
    for (int r = 0; r < rows; ++r) {
        const double t = r * 0.01;
        ref.coordinates(t, q.data(), qd.data(), qdd.data());
        ik << t << "\t0.5";
        for (int c = nc - 1; c >= 0; --c) ik << "\t" << q[c] * (m.coordinates()[c].rotational ? 180 / M_PI : 1.0);
        ik << "\n";
    }
    std::ofstream g(f.grf);
    const int grows = static_cast<int>(std::round(t1 / 0.001)) + 1;
    g << "grf\nversion=1\nnRows=" << grows << "\nnColumns=15\ninDegrees=no\nendheader\ntime";
    for (const char* side : {"R", "L"})
        for (const char* col : {"force_vx", "force_vy", "force_vz", "force_px", "force_py", "force_pz", "torque_y"})
            g << "\t" << side << "_ground_" << col;
    g << "\n" << std::setprecision(12);
    SimTK::State s = m.defaultState();
    for (int r = 0; r < grows; ++r) {
        const double t = r * 0.001;
        ref.coordinates(t, q.data(), qd.data(), qdd.data());
        setCoordinateState(m, s, q.data(), qd.data());
        m.system().realize(s, SimTK::Stage::Position);
        FootLoad loads[2];
        ref.footLoads(t, loads[0], loads[1]);
        g << t;
        for (const FootLoad& l : loads) {
            const SimTK::Vec3 cop = m.matter().getMobilizedBody(l.body).getBodyTransform(s) * l.p_B;
            g << "\t" << l.force_G[0] << "\t" << l.force_G[1] << "\t" << l.force_G[2] << "\t" << (l.contact ? cop[0] : 0)
              << "\t" << (l.contact ? cop[1] : 0) << "\t" << (l.contact ? cop[2] : 0) << "\t" << l.free_moment;
        }
        g << "\n";
    }
    return f;
}

}  // namespace

TEST_CASE("user files: kinematics in degrees and GRF reproduce the reference they came from", "[motion_reference]") {
    auto m = Model::build(readModelFile(defaultModelPath()), Subject{});
    StrideOptions so;
    so.correct = false;
    auto builtin = makeStrideReference(*m, readStrideFile(std::string(CORESTRIDE_MODELS_DIR) + "/running_stride.fourier"), so);
    const Files files = writeFiles(*m, *builtin, 0.7);
    FileMotionOptions fo;
    fo.kinematics = files.ik;
    fo.grf = files.grf;
    fo.t_start = 0.05;
    fo.t_end = 0.6;
    auto ref = makeFileReference(*m, fo);
    CHECK(ref->startTime() == 0.05);
    CHECK(ref->endTime() == 0.6);
    const int nc = static_cast<int>(m->coordinates().size());
    std::vector<double> a(nc), ad(nc), add(nc), b(nc), bd(nc), bdd(nc);
    for (double t : {0.1, 0.27, 0.43, 0.55}) {
        builtin->coordinates(t, a.data(), ad.data(), add.data());
        ref->coordinates(t, b.data(), bd.data(), bdd.data());
        for (int c = 0; c < nc; ++c) {
            INFO(m->coordinates()[c].name << " at t = " << t);
            CHECK(b[c] == Approx(a[c]).margin(1e-3));    // rad or m (degrees converted)
            CHECK(bd[c] == Approx(ad[c]).margin(0.05));
        }
        FootLoad r0, l0, r1, l1;
        builtin->footLoads(t, r0, l0);
        ref->footLoads(t, r1, l1);
        CHECK(r1.contact == r0.contact);
        CHECK((r1.force_G - r0.force_G).norm() < 0.01 * builtin->bodyWeight() + 1e-9);
        if (r0.contact) CHECK((r1.p_B - r0.p_B).norm() < 0.005);   // COP back in the foot frame
    }
    std::remove(files.ik.c_str());
    std::remove(files.grf.c_str());
}

TEST_CASE("user files: a missing coordinate column or window outside the data is an error", "[motion_reference]") {
    auto m = Model::build(readModelFile(defaultModelPath()), Subject{});
    const std::string ik = "/tmp/corestride_motion_short_" + std::to_string(::getpid()) + ".mot";
    std::ofstream(ik) << "version=1\nnRows=2\nnColumns=2\ninDegrees=yes\nendheader\ntime\thip_flexion_r\n0\t1\n0.1\t2\n";
    FileMotionOptions fo;
    fo.kinematics = ik;
    fo.grf = ik;
    CHECK_THROWS_WITH(makeFileReference(*m, fo), Contains(ik) && Contains("pelvis_tilt"));
    fo.t_start = 0.5;
    fo.t_end = 0.9;
    CHECK_THROWS_WITH(makeFileReference(*m, fo), Contains(ik));
    std::remove(ik.c_str());
}
