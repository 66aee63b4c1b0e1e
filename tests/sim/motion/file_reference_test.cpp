// The user-data path: OpenSim kinematics and GRF files written from the built-in stride are
// read back into a reference that matches the built-in one.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <unistd.h>

#include "error.h"
#include "inverse_dynamics.h"
#include "model_parser.h"
#include "file_reference.h"

#include "motion_files.h"
#include "paths.h"

using namespace corestride;
using Catch::Matchers::Contains;

using test::Files;
using test::writeMotionFiles;

TEST_CASE("user files: kinematics in degrees and GRF reproduce the reference they came from", "[file_reference]") {
    auto m = Model::build(readModelFile(defaultModelPath()), Subject{});
    StrideOptions so;
    so.correct = false;
    auto builtin = makeStrideReference(*m, readStrideFile(modelsDir() + "/running_stride.fourier"), so);
    const Files files = writeMotionFiles(*m, *builtin, 0.7);
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

TEST_CASE("user files: a lead-in keeps the data before the window, as much as the files hold", "[file_reference]") {
    auto m = Model::build(readModelFile(defaultModelPath()), Subject{});
    StrideOptions so;
    so.correct = false;
    auto builtin = makeStrideReference(*m, readStrideFile(modelsDir() + "/running_stride.fourier"), so);
    const Files files = writeMotionFiles(*m, *builtin, 0.7, "lead_in_");
    FileMotionOptions fo;
    fo.kinematics = files.ik;
    fo.grf = files.grf;
    fo.t_start = 0.3;
    fo.t_end = 0.6;
    fo.lead_in = 0.1;
    auto ref = makeFileReference(*m, fo);
    CHECK(ref->startTime() == Approx(0.2));
    CHECK(ref->leadIn() == Approx(0.1));
    CHECK(ref->endTime() == 0.6);
    fo.t_start = 0.04;   // the files start at 0: 0.04 s of lead-in
    ref = makeFileReference(*m, fo);
    CHECK(ref->startTime() == Approx(0.0).margin(1e-12));
    CHECK(ref->leadIn() == Approx(0.04));
    // Within the lead-in the motion is the files' (not held at the window's start).
    const int nc = static_cast<int>(m->coordinates().size());
    std::vector<double> a(nc), ad(nc), add(nc), b(nc), bd(nc), bdd(nc);
    builtin->coordinates(0.02, a.data(), ad.data(), add.data());
    ref->coordinates(0.02, b.data(), bd.data(), bdd.data());
    for (int c = 0; c < nc; ++c) CHECK(b[c] == Approx(a[c]).margin(1e-3));
    fo.lead_in = -0.1;
    CHECK_THROWS_WITH(makeFileReference(*m, fo), Contains("lead-in") && Contains("-0.1"));
    std::remove(files.ik.c_str());
    std::remove(files.grf.c_str());
}

TEST_CASE("user files: a missing coordinate column or window outside the data is an error", "[file_reference]") {
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
