#include "model.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>

#include "error.h"
#include "lumbar_coupling.h"
#include "model_forces.h"
#include "model_parser.h"
#include "muscle_path.h"

namespace corestride {

using SimTK::MobilizedBody;
using SimTK::Rotation;
using SimTK::Transform;
using SimTK::Vec3;

namespace {

Vec3 toVec3(const Vec3d& v, double scale = 1.0) { return Vec3(v[0], v[1], v[2]) * scale; }

Rotation bodyXYZ(const Vec3d& a) {
    return Rotation(SimTK::BodyRotationSequence, a[0], SimTK::XAxis, a[1], SimTK::YAxis, a[2], SimTK::ZAxis);
}

Vec3 unitAxis(SignedAxis a) {
    Vec3 v(0);
    v[a.index] = a.sign;
    return v;
}

// A rotation matrix from its three columns.
Rotation fromColumns(const Vec3& x, const Vec3& y, const Vec3& z) {
    const SimTK::Mat33 m(x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2]);
    return Rotation(m, true);
}

// Rotation R_JF from a joint frame J to the Simbody mobilizer frame F whose x, y, z axes are
// the joint's rotation axes in sequence (gimbal) or whose z axis is the pin axis.
Rotation mobilizerFrame(const JointDesc& j) {
    Vec3 x, y, z;
    if (j.type == JointType::Gimbal) {
        x = unitAxis(j.axes[0]); y = unitAxis(j.axes[1]); z = unitAxis(j.axes[2]);
        if (SimTK::dot(SimTK::cross(x, y), z) < 0)
            throw fileError(j.where.file, j.where.line, "axes",
                            "axes of joint '" + j.name + "' form a left-handed set");
    } else if (j.type == JointType::Pin) {
        z = unitAxis(j.axes[0]);
        x = unitAxis({(j.axes[0].index + 1) % 3, 1});
        y = SimTK::cross(z, x);
    } else {
        return Rotation();
    }
    return fromColumns(x, y, z);
}

}  // namespace

class ModelBuilder {
public:
    ModelBuilder(const ModelDescription& d, const Subject& s, const BuildOptions& o) : d_(d), s_(s), o_(o) {}
    std::shared_ptr<const Model> build();

private:
    void addBodies();
    void addCoordinates();
    void addCoupling();
    void addMuscles();
    const ModelDescription& d_;
    Subject s_;
    BuildOptions o_;
    std::shared_ptr<Model> m_;
    std::map<std::string, MobilizedBody> mobod_;
    std::map<std::string, const JointDesc*> joint_of_;
    struct PendingMoving { int muscle, point; std::string coordinate; };
    std::vector<PendingMoving> pending_moving_;   // resolved once mobility indices exist
    double len_ = 1, mass_ = 1;   // scale factors
    // The subject's extra length factor of a segment along its long axis (y of the femur and
    // tibia frames, from the hip to the knee and from the knee to the ankle); 1 elsewhere.
    double segmentFactor(const std::string& body) const {
        if (body == "femur_r" || body == "femur_l") return s_.thigh_scale;
        if (body == "tibia_r" || body == "tibia_l") return s_.shank_scale;
        return 1.0;
    }
    // Position of a point fixed in a body: len_ in every direction, the segment factor along y
    // (a longer bone, not a thicker one: moment arms across the bone stay).
    Vec3 scaled(const Vec3d& v, const std::string& body) const {
        return Vec3(v[0] * len_, v[1] * len_ * segmentFactor(body), v[2] * len_);
    }
    void scaleMusclesToPaths();
};

void ModelBuilder::addBodies() {
    auto& matter = *m_->matter_;
    mobod_.emplace("ground", matter.Ground());
    std::map<std::string, const BodyDesc*> body_desc;
    for (const auto& b : d_.bodies) body_desc[b.name] = &b;
    // Add joints parent-first: repeat passes until every body is placed (the tree was validated).
    std::vector<const JointDesc*> pending;
    for (const auto& j : d_.joints) pending.push_back(&j);
    while (!pending.empty()) {
        std::vector<const JointDesc*> next;
        for (const JointDesc* j : pending) {
            auto parent = mobod_.find(j->parent);
            if (parent == mobod_.end()) { next.push_back(j); continue; }
            const BodyDesc& bd = *body_desc.at(j->child);
            const double mass = bd.mass * mass_;
            // A segment lengthened along y: the moments of inertia about the transverse axes
            // (x, z) grow with the square of its length, the one about its long axis not.
            const double iscale = mass_ * len_ * len_, f = segmentFactor(j->child);
            const Vec3 com = scaled(bd.com, j->child);
            const auto& I = bd.inertia;
            SimTK::Inertia I_com(Vec3(I[0] * f * f, I[1], I[2] * f * f) * iscale, Vec3(I[3] * f, I[4], I[5] * f) * iscale);
            SimTK::MassProperties mp(mass, com, I_com.shiftFromMassCenter(-com, mass));
            SimTK::Body::Rigid body(mp);
            const Rotation R_JF = mobilizerFrame(*j);
            const Transform X_PF(bodyXYZ(j->orientation_in_parent) * R_JF, scaled(j->location_in_parent, j->parent));
            const Transform X_BM(bodyXYZ(j->orientation_in_child) * R_JF, scaled(j->location_in_child, j->child));
            MobilizedBody mb;
            switch (j->type) {
                case JointType::Free: {
                    // OpenSim's ground_pelvis: translations in the parent frame, then Z-X-Y
                    // body-fixed rotations. Translation + Gimbal keeps u = qdot everywhere.
                    SimTK::MobilizedBody::Translation tr(parent->second, Transform(X_PF.p()),
                                                         SimTK::Body::Massless(), Transform());
                    const Rotation R = fromColumns(Vec3(0, 0, 1), Vec3(1, 0, 0), Vec3(0, 1, 0));
                    mb = SimTK::MobilizedBody::Gimbal(tr, Transform(X_PF.R() * R), body,
                                                      Transform(bodyXYZ(j->orientation_in_child) * R,
                                                                scaled(j->location_in_child, j->child)));
                    m_->body_names_.resize(tr.getMobilizedBodyIndex() + 1);
                    m_->body_names_[tr.getMobilizedBodyIndex()] = j->child + "_translation";
                    break;
                }
                case JointType::Gimbal: mb = SimTK::MobilizedBody::Gimbal(parent->second, X_PF, body, X_BM); break;
                case JointType::Pin: mb = SimTK::MobilizedBody::Pin(parent->second, X_PF, body, X_BM); break;
                case JointType::Weld: mb = SimTK::MobilizedBody::Weld(parent->second, X_PF, body, X_BM); break;
            }
            mobod_.emplace(j->child, mb);
            joint_of_[j->child] = j;
            if (m_->body_names_.size() <= mb.getMobilizedBodyIndex())
                m_->body_names_.resize(mb.getMobilizedBodyIndex() + 1);
            m_->body_names_[mb.getMobilizedBodyIndex()] = j->child;
        }
        assert(next.size() < pending.size());
        pending.swap(next);
    }
    m_->body_names_[0] = "ground";
}

void ModelBuilder::addCoupling() {
    // Global lumbar coordinates, in order of first appearance.
    std::vector<std::string> globals;
    std::vector<MobilizedBody> mobilizers;
    for (const auto& j : d_.joints) {
        if (j.coupled.empty()) continue;
        mobilizers.push_back(mobod_.at(j.child));
        for (const auto& g : j.coupled)
            if (std::find(globals.begin(), globals.end(), g) == globals.end()) globals.push_back(g);
    }
    if (mobilizers.empty()) return;
    std::vector<CouplingGroup> groups(globals.size());
    int mi = 0;
    for (const auto& j : d_.joints) {
        if (j.coupled.empty()) continue;
        for (int k = 0; k < 3; ++k) {
            auto gi = std::find(globals.begin(), globals.end(), j.coupled[k]) - globals.begin();
            groups[gi].mobilizer.push_back(mi);
            groups[gi].q_in_mobilizer.push_back(k);
            groups[gi].ratio.push_back(j.ratios[k]);
        }
        ++mi;
    }
    SimTK::Constraint::Custom(new LumbarCoupling(*m_->matter_, mobilizers, groups));
}

void ModelBuilder::addCoordinates() {
    const SimTK::State& s = m_->default_state_;
    std::map<std::string, Coordinate> byname;
    std::vector<std::string> order;
    auto entry = [&](const std::string& name) -> Coordinate& {
        if (!byname.count(name)) { order.push_back(name); byname[name].name = name; }
        return byname[name];
    };
    for (const auto& j : d_.joints) {
        const MobilizedBody& mb = mobod_.at(j.child);
        int u0 = mb.getFirstUIndex(s);
        if (j.type == JointType::Free) {
            // The Gimbal (rotations) is mb; the Translation is its parent.
            const MobilizedBody& tr = mb.getParentMobilizedBody();
            const int t0 = tr.getFirstUIndex(s);
            for (int k = 0; k < 3; ++k) {
                Coordinate& c = entry(j.coordinates[k]);
                c.u = {u0 + k}; c.ratio = {1.0};
            }
            for (int k = 0; k < 3; ++k) {
                Coordinate& t = entry(j.coordinates[3 + k]);
                t.u = {t0 + k}; t.ratio = {1.0}; t.rotational = false;
            }
        } else if (!j.coupled.empty()) {
            for (int k = 0; k < 3; ++k) {
                Coordinate& c = entry(j.coupled[k]);
                c.u.push_back(u0 + k); c.ratio.push_back(j.ratios[k]);
            }
        } else {
            for (size_t k = 0; k < j.coordinates.size(); ++k) {
                Coordinate& c = entry(j.coordinates[k]);
                c.u = {u0 + static_cast<int>(k)}; c.ratio = {1.0};
            }
        }
    }
    for (const auto& cd : d_.coordinates) {
        Coordinate& c = byname.at(cd.name);
        c.lo = cd.range_lo * (c.rotational ? 1.0 : len_);
        c.hi = cd.range_hi * (c.rotational ? 1.0 : len_);
        c.default_value = cd.default_value * (c.rotational ? 1.0 : len_);
    }
    for (const auto& n : order) m_->coordinates_.push_back(byname.at(n));

    // Lumbar levels: slot k of a coupled joint belongs to global coordinate coupled[k].
    for (const auto& j : d_.joints) {
        if (j.coupled.empty()) continue;
        LumbarLevel lv;
        lv.joint = j.name;
        lv.body = mobod_.at(j.child).getMobilizedBodyIndex();
        lv.parent = mobod_.at(j.parent).getMobilizedBodyIndex();
        lv.X_PD = Transform(bodyXYZ(j.orientation_in_parent), scaled(j.location_in_parent, j.parent));
        lv.u0 = mobod_.at(j.child).getFirstUIndex(s);
        for (int k = 0; k < 3; ++k) {
            const std::string& g = j.coupled[k];
            if (g.find("extension") != std::string::npos) lv.slot_extension = k;
            else if (g.find("bending") != std::string::npos) lv.slot_bending = k;
            else if (g.find("rotation") != std::string::npos) lv.slot_rotation = k;
        }
        for (const auto& st : d_.lumbar_stiffness)
            if (st.joint == j.name) {
                lv.k_flexion = st.flexion; lv.k_extension = st.extension;
                lv.k_bending = st.bending; lv.k_rotation = st.rotation;
            }
        m_->lumbar_.push_back(lv);
    }
}

void ModelBuilder::addMuscles() {
    for (const auto& g : d_.groups) m_->group_names_.push_back(g.name);
    for (const auto& w : d_.wraps) {
        Wrap x;
        x.name = w.name;
        x.body = mobod_.at(w.body).getMobilizedBodyIndex();
        x.center_B = scaled(w.center, w.body);
        x.axis_B = toVec3(w.axis).normalize();
        x.side_B = toVec3(w.side).normalize();
        x.radius = w.radius * len_;   // a cross-section: not lengthened
        m_->wraps_.push_back(x);
    }
    const int triceps = m_->groupIndex("triceps_surae");   // -1 in a model without the group
    for (const auto& md : d_.muscles) {
        Muscle m;
        m.name = md.name;
        m.side = md.side;
        for (const auto& g : md.groups) m.groups.push_back(m_->groupIndex(g));
        m.fmax = md.fmax;
        m.lopt = md.lopt * len_;
        m.lts = md.lts * len_;
        m.pennation = md.pennation;
        m.vmax = md.vmax;
        for (const auto& p : md.points) {
            PathPoint pp;
            pp.body = mobod_.at(p.body).getMobilizedBodyIndex();
            pp.p_B = scaled(p.at, p.body);
            pp.knots = p.knots;
            for (const auto& v : p.table) pp.table.push_back(scaled(v, p.body));
            m.path.push_back(pp);
            if (!p.moving.empty()) pending_moving_.push_back({static_cast<int>(m_->muscles_.size()), static_cast<int>(m.path.size()) - 1, p.moving});
        }
        for (const auto& w : md.wraps) {
            int wi = 0;
            while (m_->wraps_[wi].name != w.wrap) ++wi;
            m.wraps.push_back({wi, w.segment});
        }
        // Elastic tendons: only where the tendon is at least as long as the optimal fibre
        // length (shorter ones change the force little, and their fibre dynamics would only be
        // stiff: Millard et al. 2013, J Biomech Eng 135:021005).
        const bool in_triceps = triceps >= 0 && std::find(m.groups.begin(), m.groups.end(), triceps) != m.groups.end();
        m.compliant_tendon = m.lts >= m.lopt && (o_.tendon == TendonModel::Compliant ||
                                                (o_.tendon == TendonModel::TricepsSurae && in_triceps));
        m_->compliant_tendons_ += m.compliant_tendon ? 1 : 0;
        m_->muscles_.push_back(m);
    }
}

std::shared_ptr<const Model> ModelBuilder::build() {
    validateModelDescription(d_);
    if (!(s_.mass > 0) || !(s_.height > 0))
        throw UserError("subject body mass and height must be positive");
    if (!(s_.thigh_scale > 0) || !(s_.shank_scale > 0) || !std::isfinite(s_.thigh_scale) || !std::isfinite(s_.shank_scale))
        throw UserError("subject thigh and shank scale factors must be positive");
    len_ = s_.height / d_.reference_height;
    mass_ = s_.mass / d_.reference_mass;
    m_.reset(new Model());
    m_->name_ = d_.name;
    m_->subject_ = s_;
    m_->length_scale_ = len_;
    m_->options_ = o_;
    m_->system_ = std::make_unique<SimTK::MultibodySystem>();
    m_->matter_ = std::make_unique<SimTK::SimbodyMatterSubsystem>(*m_->system_);
    m_->forces_ = std::make_unique<SimTK::GeneralForceSubsystem>(*m_->system_);
    SimTK::Force::Gravity(*m_->forces_, *m_->matter_, Vec3(0, -9.80665, 0));
    m_->matter_->setShowDefaultGeometry(false);
    addBodies();
    addCoupling();
    addMuscles();
    // The force element needs the finished muscle tables; it holds a pointer to the model.
    auto* impl = new ModelForces(*m_, *m_->forces_);
    SimTK::Force::Custom(*m_->forces_, impl);
    m_->force_impl_ = impl;
    m_->default_state_ = m_->system_->realizeTopology();
    m_->system_->realizeModel(m_->default_state_);
    m_->num_u_ = m_->default_state_.getNU();
    assert(m_->default_state_.getNQ() == m_->num_u_);
    addCoordinates();
    for (const auto& pm : pending_moving_)
        m_->muscles_[pm.muscle].path[pm.point].moving_u = m_->coordinates_[m_->coordinateIndex(pm.coordinate)].u[0];
    // Lumbar stiffness was filled from the description after the force element was made;
    // ModelForces reads lumbarLevels() and coordinates() through its model pointer.
    for (int c = 0; c < static_cast<int>(m_->coordinates_.size()); ++c)
        m_->setCoordinate(m_->default_state_, c, m_->coordinates_[c].default_value);
    if (s_.thigh_scale != 1.0 || s_.shank_scale != 1.0) scaleMusclesToPaths();
    return m_;
}

// Segment factors change the musculotendon lengths of the muscles that cross those segments:
// each muscle's optimal fibre length and tendon slack length scale with its path length in the
// default pose, relative to the same model with the height scaling alone (OpenSim's Scale tool
// does the same). Fibre lengths are normalised states, so nothing else changes.
void ModelBuilder::scaleMusclesToPaths() {
    const auto uniform = Model::build(d_, Subject{s_.mass, s_.height}, o_);
    SimTK::State su = uniform->defaultState(), ss = m_->default_state_;
    uniform->system().realize(su, SimTK::Stage::Position);
    m_->system().realize(ss, SimTK::Stage::Position);
    PathGeometry gu, gs;
    for (int i = 0; i < static_cast<int>(m_->muscles_.size()); ++i) {
        calcPathGeometry(*uniform, su, i, gu);
        calcPathGeometry(*m_, ss, i, gs);
        const double ratio = gs.length / gu.length;
        m_->muscles_[i].lopt *= ratio;
        m_->muscles_[i].lts *= ratio;
    }
}

std::shared_ptr<const Model> Model::build(const ModelDescription& desc, const Subject& subject,
                                          const BuildOptions& options) {
    return ModelBuilder(desc, subject, options).build();
}

Model::~Model() = default;

const char* toString(TendonModel t) {
    switch (t) {
        case TendonModel::Rigid: return "rigid";
        case TendonModel::TricepsSurae: return "triceps_surae";
        case TendonModel::Compliant: return "compliant";
    }
    return "?";
}

bool parseTendonModel(const std::string& word, TendonModel& out) {
    for (TendonModel t : {TendonModel::Rigid, TendonModel::TricepsSurae, TendonModel::Compliant})
        if (word == toString(t)) {
            out = t;
            return true;
        }
    return false;
}

Vec3 PathPoint::locate(const SimTK::State& state, Vec3* dp_dq) const {
    if (moving_u < 0) {
        if (dp_dq) *dp_dq = Vec3(0);
        return p_B;
    }
    const double q = state.getQ()[moving_u];
    const int n = static_cast<int>(knots.size());
    if (q <= knots.front() || q >= knots.back()) {
        if (dp_dq) *dp_dq = Vec3(0);
        return q <= knots.front() ? table.front() : table.back();
    }
    int k = 0;
    while (knots[k + 1] < q) ++k;
    // Cubic Hermite on [k, k+1] with finite-difference slopes (one-sided at the ends).
    auto slope = [&](int i) {
        const int a = std::max(i - 1, 0), b = std::min(i + 1, n - 1);
        return (table[b] - table[a]) / (knots[b] - knots[a]);
    };
    const double h = knots[k + 1] - knots[k], t = (q - knots[k]) / h;
    const double t2 = t * t, t3 = t2 * t;
    const Vec3 m0 = slope(k) * h, m1 = slope(k + 1) * h;
    const Vec3 p = (2 * t3 - 3 * t2 + 1) * table[k] + (t3 - 2 * t2 + t) * m0 + (-2 * t3 + 3 * t2) * table[k + 1] +
                   (t3 - t2) * m1;
    if (dp_dq)
        *dp_dq = ((6 * t2 - 6 * t) * table[k] + (3 * t2 - 4 * t + 1) * m0 + (-6 * t2 + 6 * t) * table[k + 1] +
                  (3 * t2 - 2 * t) * m1) / h;
    return p;
}

double Model::totalMass() const {
    double m = 0;
    for (SimTK::MobilizedBodyIndex i(1); i < matter_->getNumBodies(); ++i)
        m += matter_->getMobilizedBody(i).getBodyMass(default_state_);
    return m;
}

SimTK::MobilizedBodyIndex Model::bodyIndex(const std::string& name) const {
    for (size_t i = 0; i < body_names_.size(); ++i)
        if (body_names_[i] == name) return SimTK::MobilizedBodyIndex(static_cast<int>(i));
    throw UserError("unknown body '" + name + "'");
}

int Model::coordinateIndex(const std::string& name) const {
    for (size_t i = 0; i < coordinates_.size(); ++i)
        if (coordinates_[i].name == name) return static_cast<int>(i);
    return -1;
}

int Model::groupIndex(const std::string& name) const {
    for (size_t i = 0; i < group_names_.size(); ++i)
        if (group_names_[i] == name) return static_cast<int>(i);
    return -1;
}

int Model::muscleIndex(const std::string& name) const {
    for (size_t i = 0; i < muscles_.size(); ++i)
        if (muscles_[i].name == name) return static_cast<int>(i);
    return -1;
}

void Model::setCoordinate(SimTK::State& state, int c, double value) const {
    const Coordinate& co = coordinates_.at(c);
    for (size_t k = 0; k < co.u.size(); ++k) state.updQ()[co.u[k]] = co.ratio[k] * value;
}

void Model::addCoordinateForce(int c, double T, SimTK::Vector& tau_u) const {
    const Coordinate& co = coordinates_.at(c);
    double sum_sq = 0;
    for (double r : co.ratio) sum_sq += r * r;
    for (size_t k = 0; k < co.u.size(); ++k) tau_u[co.u[k]] += co.ratio[k] * T / sum_sq;
}

double Model::getCoordinate(const SimTK::State& state, int c) const {
    const Coordinate& co = coordinates_.at(c);
    double v = 0;
    for (int u : co.u) v += state.getQ()[u];
    return v;
}

}  // namespace corestride
