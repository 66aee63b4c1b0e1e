#include "opensim_export.h"

#include <cmath>
#include <fstream>
#include <iomanip>

#include "error.h"
#include "results_schema.h"

namespace corestride {

namespace {

// One Storage file: labels after `time`, and row-major values (rows x labels.size()).
void writeStorage(const std::string& path, const std::string& name, bool in_degrees, const std::vector<double>& time,
                  const std::vector<std::string>& labels, const std::vector<double>& values) {
    std::ofstream out(path);
    if (!out) throw UserError(path + ": cannot write");
    out << name << "\nversion=1\nnRows=" << time.size() << "\nnColumns=" << labels.size() + 1
        << "\ninDegrees=" << (in_degrees ? "yes" : "no") << "\nendheader\ntime";
    for (const auto& l : labels) out << '\t' << l;
    out << '\n' << std::setprecision(10);
    for (std::size_t i = 0; i < time.size(); ++i) {
        out << time[i];
        for (std::size_t c = 0; c < labels.size(); ++c) out << '\t' << values[i * labels.size() + c];
        out << '\n';
    }
    out.close();
    if (!out) throw UserError(path + ": write failed");
}

}  // namespace

std::vector<std::string> exportRunToOpenSim(const ResultsFile& file, const std::string& run, const std::string& dir) {
    using schema::Path;
    const H5Reader& r = file.reader;
    const auto ds = [&](Path key, const std::string& level = "") { return schema::path(key, run, level); };
    const auto time = readRunTime(r, run);
    const std::size_t n = time.size();
    std::vector<std::string> written;
    const auto path = [&](const std::string& suffix) {
        written.push_back(dir + "/" + run + suffix);
        return written.back();
    };

    // Coordinates: rotations to degrees, by the unit the results file gives each column.
    const auto names = r.readStrings(ds(Path::CoordinateNames));
    const auto units = readNames(r, ds(Path::CoordinateUnits), names.size());
    H5Matrix q = readTable(r, ds(Path::CoordinateQ), n, names.size());
    for (std::size_t c = 0; c < q.cols; ++c) {
        if (units[c] == "rad") {
            for (std::size_t i = 0; i < q.rows; ++i) q.data[i * q.cols + c] *= 180.0 / M_PI;
        } else if (units[c] != "m") {
            throw UserError(r.path() + ": " + ds(Path::CoordinateUnits) + ": unexpected unit '" + units[c] + "' of " + names[c]);
        }
    }
    writeStorage(path("_coordinates.mot"), run + " coordinates", true, time, names, q.data);

    const auto muscles = r.readStrings(ds(Path::MuscleNames));
    writeStorage(path("_activations.sto"), run + " activations", false, time, muscles,
                 readTable(r, ds(Path::MuscleActivation), n, muscles.size()).data);
    writeStorage(path("_forces.sto"), run + " muscle forces (N)", false, time, muscles,
                 readTable(r, ds(Path::MuscleForce), n, muscles.size()).data);

    std::vector<std::string> labels;
    std::vector<H5Matrix> parts;
    for (const auto& level : r.children(ds(Path::Lumbar))) {
        for (const char* c : {"_compression", "_ap_shear", "_lateral_shear"}) labels.push_back(level + c);
        for (const char* c : {"_moment_x", "_moment_y", "_moment_z"}) labels.push_back(level + c);
        parts.push_back(readTable(r, ds(Path::LevelForce, level), n, 3));
        parts.push_back(readTable(r, ds(Path::LevelMoment, level), n, 3));
    }
    std::vector<double> loads;
    for (std::size_t i = 0; i < time.size(); ++i)
        for (const auto& m : parts)
            for (std::size_t c = 0; c < m.cols; ++c) loads.push_back(m.at(i, c));
    writeStorage(path("_lumbar_loads.sto"), run + " lumbar loads (N, N m; disc frames)", false, time, labels, loads);

    const H5Matrix f = readTable(r, ds(Path::GrfForce), n, 6), cop = readTable(r, ds(Path::GrfCop), n, 6),
                   tz = readTable(r, ds(Path::GrfFreeMoment), n, 2);
    std::vector<std::string> grf_labels;
    for (const char* side : {"R_ground_", "L_ground_"}) {
        for (const char* c : {"force_vx", "force_vy", "force_vz", "force_px", "force_py", "force_pz", "torque_x",
                              "torque_y", "torque_z"})
            grf_labels.push_back(std::string(side) + c);
    }
    std::vector<double> grf;
    for (std::size_t i = 0; i < time.size(); ++i)
        for (int side = 0; side < 2; ++side) {
            for (int k = 0; k < 3; ++k) grf.push_back(f.at(i, 3 * side + k));
            for (int k = 0; k < 3; ++k) grf.push_back(cop.at(i, 3 * side + k));
            grf.insert(grf.end(), {0.0, tz.at(i, side), 0.0});
        }
    writeStorage(path("_grf.mot"), run + " ground reactions", false, time, grf_labels, grf);
    return written;
}

}  // namespace corestride
