// Writes a reference motion as OpenSim files (kinematics .mot and GRF .mot), for tests of
// the user-data path.
#pragma once

#include <cmath>
#include <fstream>
#include <iomanip>
#include <string>
#include <vector>
#include <unistd.h>

#include "inverse_dynamics.h"
#include "model.h"
#include "reference_motion.h"

namespace corestride::test {

struct Files {
    std::string ik, grf;
};

// Kinematics at 100 Hz in degrees with an old SIMM header and a shuffled, padded column set;
// GRF at 1000 Hz in OpenSim external-loads columns.
inline Files writeMotionFiles(const Model& m, const ReferenceMotion& ref, double t1, const std::string& tag = "") {
    const std::string base = "/tmp/corestride_motion_" + tag + std::to_string(::getpid());
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


}  // namespace corestride::test
