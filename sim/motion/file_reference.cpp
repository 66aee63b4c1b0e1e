#include "file_reference.h"

#include <cmath>

#include "error.h"
#include "inverse_dynamics.h"
#include "motion_file.h"

namespace corestride {
namespace {

constexpr double kGravity = 9.80665;

class FileReference : public ReferenceMotion {
public:
    FileReference(const Model& model, const FileMotionOptions& opt);
    void coordinates(double t, double* q, double* qd, double* qdd) const override;
    void footLoads(double t, FootLoad& right, FootLoad& left) const override;

private:
    struct Foot {
        int fx, fy, fz, px, py, pz, ty;          // GRF table columns
        SimTK::MobilizedBodyIndex body;
        std::vector<SimTK::Vec3> p_B;             // COP in the foot frame at each GRF row
    };
    void footLoad(double t, const Foot& f, FootLoad& out) const;
    const Model& model_;
    std::vector<SimTK::Spline> splines_;          // per model coordinate
    MotionTable grf_;
    Foot feet_[2];
    double threshold_;
    int tx_ = -1;
};

int requireColumn(const MotionTable& t, const std::string& label, const std::string& why) {
    const int j = t.column(label);
    if (j < 0) throw UserError(t.file + ": no column '" + label + "' (" + why + ")");
    return j;
}

// The same for a ground-reaction column, naming the foot prefixes the file does have (the
// labels that end in force_vy), so that a wrong motion.grf_right/grf_left is easy to fix.
int requireGrfColumn(const MotionTable& t, const std::string& prefix, const std::string& suffix, const std::string& why) {
    const int j = t.column(prefix + suffix);
    if (j >= 0) return j;
    std::string found;
    const std::string vy = "force_vy";
    for (const std::string& l : t.labels)
        if (l.size() > vy.size() && l.compare(l.size() - vy.size(), vy.size(), vy) == 0)
            found += (found.empty() ? "'" : ", '") + l.substr(0, l.size() - vy.size()) + "'";
    throw UserError(t.file + ": no column '" + prefix + suffix + "' (" + why + "); the foot prefixes in this file are " +
                    (found.empty() ? "none (no column ends in force_vy)" : found) +
                    " (keys motion.grf_right and motion.grf_left)");
}

FileReference::FileReference(const Model& model, const FileMotionOptions& opt)
    : model_(model), threshold_(opt.contact_threshold) {
    MotionTable ik = readMotionFile(opt.kinematics);
    grf_ = readMotionFile(opt.grf);
    if (opt.lowpass_hz > 0) {
        // Kinematics and ground reactions at the same cut-off (Kristianslund et al. 2012,
        // J Biomech 45:666: different cut-offs make impact artefacts in joint moments). The
        // centre of pressure is not filtered: it is undefined in flight.
        lowPassFilter(ik, opt.lowpass_hz);
        std::vector<int> cols;
        for (size_t j = 0; j < grf_.labels.size(); ++j) {
            const std::string& l = grf_.labels[j];
            if (l.find("force_v") != std::string::npos || l.find("torque") != std::string::npos) cols.push_back(static_cast<int>(j));
        }
        if (!cols.empty()) lowPassFilter(grf_, opt.lowpass_hz, cols);
    }
    const double first = std::max(ik.time.front(), grf_.time.front());
    const double t_start = opt.t_start > 0 ? opt.t_start : first;
    if (!(opt.lead_in >= 0)) throw UserError("motion files: the lead-in must be >= 0 s, not " + std::to_string(opt.lead_in));
    // The lead-in: as much of the asked-for time before the window as both files hold.
    lead_in_ = std::max(0.0, std::min(opt.lead_in, t_start - first));
    t0_ = t_start - lead_in_;
    t1_ = opt.t_end > 0 ? opt.t_end : std::min(ik.time.back(), grf_.time.back());
    selectTimeWindow(ik, t0_, t1_);
    selectTimeWindow(grf_, t0_, t1_);
    belt_speed_ = opt.belt_speed;
    body_weight_ = model.subject().mass * kGravity;
    tx_ = model.coordinateIndex("pelvis_tx");

    // Coordinates: every model coordinate must have its column; angles converted once here.
    SimTK::Vector x(static_cast<int>(ik.time.size()));
    for (size_t r = 0; r < ik.time.size(); ++r) x[static_cast<int>(r)] = ik.time[r];
    for (const Coordinate& c : model.coordinates()) {
        const int j = requireColumn(ik, c.name, "a coordinate of the model");
        const double f = (c.rotational && ik.angle_unit == AngleUnit::Degrees) ? M_PI / 180 : 1.0;
        SimTK::Vector y(static_cast<int>(ik.time.size()));
        for (size_t r = 0; r < ik.time.size(); ++r) {
            double v = ik.columns[j][r] * f;
            if (&c == &model.coordinates()[tx_] && belt_speed_ > 0) v += belt_speed_ * (ik.time[r] - t0_);
            y[static_cast<int>(r)] = v;
        }
        // Quintic splines need at least six samples (Simbody's GCVSPL: n >= 2m, m = 3).
        if (ik.time.size() < 6)
            throw UserError(ik.file + ": " + std::to_string(ik.time.size()) + " samples in the time window [" +
                            std::to_string(t0_) + ", " + std::to_string(t1_) +
                            "] s; the quintic splines of the kinematics need at least 6");
        // Filtered data: an interpolating quintic spline; otherwise GCV smoothing.
        splines_.push_back(opt.lowpass_hz > 0 ? SimTK::SplineFitter<SimTK::Real>::fitForSmoothingParameter(5, x, y, 0.0).getSpline()
                                              : SimTK::SplineFitter<SimTK::Real>::fitFromGCV(5, x, y).getSpline());
    }

    // Ground reactions: prefix + force_v{x,y,z}, force_p{x,y,z}, torque_y.
    const std::string prefixes[2] = {opt.right_prefix, opt.left_prefix};
    const char* bodies[2] = {"foot_r", "foot_l"};
    for (int k = 0; k < 2; ++k) {
        Foot& f = feet_[k];
        const std::string& p = prefixes[k];
        f.fx = requireGrfColumn(grf_, p, "force_vx", "ground reaction force");
        f.fy = requireGrfColumn(grf_, p, "force_vy", "ground reaction force");
        f.fz = requireGrfColumn(grf_, p, "force_vz", "ground reaction force");
        f.px = requireGrfColumn(grf_, p, "force_px", "centre of pressure");
        f.py = requireGrfColumn(grf_, p, "force_py", "centre of pressure");
        f.pz = requireGrfColumn(grf_, p, "force_pz", "centre of pressure");
        f.ty = requireGrfColumn(grf_, p, "torque_y", "free moment");
        f.body = model.bodyIndex(bodies[k]);
    }
    // The centre of pressure in each foot's frame, along the reference kinematics.
    SimTK::State s = model.defaultState();
    const size_t nc = model.coordinates().size();
    std::vector<double> q(nc), qd(nc), qdd(nc);
    for (Foot& f : feet_) f.p_B.assign(grf_.time.size(), SimTK::Vec3(0));
    for (size_t r = 0; r < grf_.time.size(); ++r) {
        const double t = std::min(std::max(grf_.time[r], t0_), t1_);
        coordinates(t, q.data(), qd.data(), qdd.data());
        setCoordinateState(model, s, q.data(), qd.data());
        model.system().realize(s, SimTK::Stage::Position);
        for (Foot& f : feet_) {
            const SimTK::Vec3 cop(grf_.columns[f.px][r] + belt_speed_ * (grf_.time[r] - t0_), grf_.columns[f.py][r],
                                  grf_.columns[f.pz][r]);
            f.p_B[r] = ~model.matter().getMobilizedBody(f.body).getBodyTransform(s) * cop;
        }
    }
    diagnostics_.push_back({"window_start_s", t_start});
    diagnostics_.push_back({"lead_in_s", lead_in_});
    diagnostics_.push_back({"window_end_s", t1_});
    diagnostics_.push_back({"belt_speed_m_per_s", belt_speed_});
    diagnostics_.push_back({"lowpass_hz", opt.lowpass_hz});
}

void FileReference::coordinates(double t, double* q, double* qd, double* qdd) const {
    const double tc = std::min(std::max(t, t0_), t1_);
    for (size_t c = 0; c < splines_.size(); ++c) {
        q[c] = splines_[c].calcValue(tc);
        qd[c] = splines_[c].calcDerivative(1, tc);
        qdd[c] = splines_[c].calcDerivative(2, tc);
    }
}

void FileReference::footLoad(double t, const Foot& f, FootLoad& out) const {
    out = FootLoad{};
    out.body = f.body;
    const double tc = std::min(std::max(t, grf_.time.front()), grf_.time.back());
    const double fy = grf_.interpolate(f.fy, tc);
    if (fy < threshold_) return;
    out.contact = true;
    out.force_G = SimTK::Vec3(grf_.interpolate(f.fx, tc), fy, grf_.interpolate(f.fz, tc));
    out.free_moment = grf_.interpolate(f.ty, tc);
    // Linear interpolation of the foot-frame COP table between GRF rows.
    size_t lo = 0, hi = grf_.time.size() - 1;
    while (hi - lo > 1) {
        const size_t mid = (lo + hi) / 2;
        (grf_.time[mid] <= tc ? lo : hi) = mid;
    }
    const double a = hi > lo ? (tc - grf_.time[lo]) / (grf_.time[hi] - grf_.time[lo]) : 0.0;
    out.p_B = (1 - a) * f.p_B[lo] + a * f.p_B[hi];
}

void FileReference::footLoads(double t, FootLoad& right, FootLoad& left) const {
    footLoad(t, feet_[0], right);
    footLoad(t, feet_[1], left);
}

}  // namespace

std::unique_ptr<ReferenceMotion> makeFileReference(const Model& model, const FileMotionOptions& options) {
    return std::make_unique<FileReference>(model, options);
}

}  // namespace corestride
