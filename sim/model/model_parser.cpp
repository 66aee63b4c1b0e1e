#include "model_parser.h"

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "error.h"
#include "record_reader.h"
#include "input_file.h"

namespace corestride {
namespace {

constexpr double kDeg = M_PI / 180.0;

void requireName(Record& r) {
    if (r.name.empty()) r.fail("name", "'" + r.keyword + "' record needs a name");
}

SignedAxis parseAxis(Record& r, const std::string& key, const std::string& s) {
    SignedAxis a;
    std::string t = s;
    if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
        a.sign = t[0] == '-' ? -1 : 1;
        t = t.substr(1);
    }
    if (t == "x") a.index = 0;
    else if (t == "y") a.index = 1;
    else if (t == "z") a.index = 2;
    else r.fail(key, "'" + s + "' is not an axis (x, y, z, -x, -y, -z)");
    return a;
}

JointDesc parseJoint(Record& r) {
    JointDesc j;
    j.name = r.name;
    j.where = r.where;
    const std::string type = r.raw("type");
    if (type == "free") j.type = JointType::Free;
    else if (type == "gimbal") j.type = JointType::Gimbal;
    else if (type == "pin") j.type = JointType::Pin;
    else if (type == "weld") j.type = JointType::Weld;
    else r.fail("type", "unknown joint type '" + type + "' (free, gimbal, pin, weld)");
    j.parent = r.raw("parent");
    j.child = r.raw("child");
    j.location_in_parent = r.vec3OrZero("location_in_parent");
    j.orientation_in_parent = r.angles3OrZero("orientation_in_parent_deg");
    j.location_in_child = r.vec3OrZero("location_in_child");
    j.orientation_in_child = r.angles3OrZero("orientation_in_child_deg");
    size_t n_axes = 0, n_coords = 0;
    switch (j.type) {
        case JointType::Free: n_coords = 6; break;
        case JointType::Gimbal: n_axes = n_coords = 3; break;
        case JointType::Pin: n_axes = n_coords = 1; break;
        case JointType::Weld: break;
    }
    if (n_axes) {
        auto axes = r.list("axes");
        if (axes.size() != n_axes)
            r.fail("axes", "a " + type + " joint needs " + std::to_string(n_axes) + " axes, got " +
                               std::to_string(axes.size()));
        std::set<int> seen;
        for (const auto& a : axes) {
            j.axes.push_back(parseAxis(r, "axes", a));
            if (!seen.insert(j.axes.back().index).second)
                r.fail("axes", "axis '" + a + "' repeated");
        }
    } else if (r.has("axes")) {
        r.fail("axes", "a " + type + " joint takes no axes");
    }
    if (r.has("coupled")) {
        if (j.type != JointType::Gimbal) r.fail("coupled", "only gimbal joints can be coupled");
        j.coupled = r.list("coupled");
        auto ratios = r.numbers("ratios", 3);
        if (j.coupled.size() != 3) r.fail("coupled", "expected 3 global coordinates");
        j.ratios = ratios;
        for (double x : ratios)
            if (!(x > 0 && x <= 1)) r.fail("ratios", "each ratio must lie in (0, 1]");
        if (r.has("coordinates"))
            r.fail("coordinates", "a coupled joint takes its coordinates from 'coupled'");
    } else if (n_coords) {
        j.coordinates = r.list("coordinates");
        if (j.coordinates.size() != n_coords)
            r.fail("coordinates", "a " + type + " joint needs " + std::to_string(n_coords) +
                                      " coordinates, got " + std::to_string(j.coordinates.size()));
    } else if (r.has("coordinates")) {
        r.fail("coordinates", "a weld joint takes no coordinates");
    }
    if (r.has("ratios") && j.coupled.empty()) r.fail("ratios", "'ratios' needs 'coupled'");
    return j;
}

MuscleDesc parseMuscle(Record& r) {
    MuscleDesc m;
    m.name = r.name;
    m.where = r.where;
    const std::string side = r.raw("side");
    if (side == "r") m.side = Side::Right;
    else if (side == "l") m.side = Side::Left;
    else if (side == "mid") m.side = Side::Mid;
    else r.fail("side", "'" + side + "' is not a side (r, l, mid)");
    m.groups = r.list("groups");
    // Plausibility bounds of the input check, not physiological values: each is far wider than
    // the range of the public models the shipped one comes from, and catches unit slips
    // (mm for m, N for kN) and nonsense (1e6 m tendons, 89.9999 degree pennation).
    m.fmax = r.bounded("fmax", 1e-3, 2e4, "N");
    m.lopt = r.bounded("lopt", 1e-3, 1.0, "m");
    m.lts = r.bounded("lts", 0.0, 2.0, "m");
    m.pennation = r.bounded("penn_deg", 0.0, 60.0, "deg") * kDeg;
    if (r.has("vmax")) m.vmax = r.bounded("vmax", 0.1, 50.0, "optimal fibre lengths/s");
    return m;
}

WrapDesc parseWrap(Record& r) {
    WrapDesc w;
    w.name = r.name;
    w.where = r.where;
    if (r.raw("type") != "cylinder")
        r.fail("type", "unknown wrap type '" + r.raw("type") + "' (cylinder)");
    w.body = r.raw("body");
    w.center = r.vec3("center");
    w.axis = r.vec3("axis");
    w.side = r.vec3("side");
    w.radius = r.positive("radius");
    auto norm = [](const Vec3d& v) { return std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]); };
    if (std::abs(norm(w.axis) - 1) > 1e-3) r.fail("axis", "must be a unit vector");
    if (std::abs(norm(w.side) - 1) > 1e-3) r.fail("side", "must be a unit vector");
    double dot = w.axis[0] * w.side[0] + w.axis[1] * w.side[1] + w.axis[2] * w.side[2];
    if (std::abs(dot) > 1e-3) r.fail("side", "must be perpendicular to the axis");
    return w;
}

}  // namespace

ModelDescription parseModelText(const std::string& text, const std::string& file) {
    ModelDescription d;
    d.file = file;
    std::stringstream in(text);
    bool have_model = false;
    const int lines = forEachRecord(in, file, [&](Record& r) {
        const std::string& kw = r.keyword;
        if (kw == "model") {
            requireName(r);
            if (have_model) r.fail("", "second 'model' record");
            have_model = true;
            d.name = r.name;
            d.reference_mass = r.positive("reference_mass");
            d.reference_height = r.positive("reference_height");
        } else if (kw == "group") {
            requireName(r);
            GroupDesc g{r.name, r.has("description") ? r.raw("description") : "", r.where};
            d.groups.push_back(g);
        } else if (kw == "body") {
            requireName(r);
            BodyDesc b;
            b.name = r.name;
            b.where = r.where;
            // Plausibility bounds (see parseMuscle): a body of a human model, in SI units.
            b.mass = r.bounded("mass", 1e-6, 300.0, "kg");
            b.com = r.vec3("com");
            for (double x : b.com)
                if (std::abs(x) > 2.0) r.fail("com", "a component of " + r.raw("com") + " is more than 2 m from the body origin");
            auto in6 = r.numbers("inertia", 3, 6);
            for (size_t k = 0; k < in6.size(); ++k) b.inertia[k] = in6[k];
            for (int k = 0; k < 3; ++k)
                if (!(b.inertia[k] > 0 && b.inertia[k] <= 100)) r.fail("inertia", "moments must lie in (0, 100] kg m^2");
            for (size_t k = 3; k < in6.size(); ++k)
                if (!(std::abs(b.inertia[k]) <= 100)) r.fail("inertia", "products must lie in [-100, 100] kg m^2");
            // A rigid body's moments satisfy the triangle inequality (Simbody rejects them otherwise).
            const double ixx = b.inertia[0], iyy = b.inertia[1], izz = b.inertia[2], slop = 1e-9 * (ixx + iyy + izz);
            if (ixx + iyy + slop < izz || ixx + izz + slop < iyy || iyy + izz + slop < ixx)
                r.fail("inertia", "moments " + r.raw("inertia") + " violate the triangle inequality (Ixx + Iyy >= Izz, ...)");
            d.bodies.push_back(b);
        } else if (kw == "joint") {
            requireName(r);
            d.joints.push_back(parseJoint(r));
        } else if (kw == "coordinate") {
            requireName(r);
            CoordinateDesc c;
            c.name = r.name;
            c.where = r.where;
            if (r.has("range_deg") == r.has("range"))
                r.fail("range_deg", "give exactly one of range_deg (rotations) or range (m)");
            const bool deg = r.has("range_deg");
            auto rg = r.numbers(deg ? "range_deg" : "range", 2);
            const double f = deg ? kDeg : 1.0;
            c.range_lo = rg[0] * f;
            c.range_hi = rg[1] * f;
            c.has_range = true;
            if (!(c.range_lo < c.range_hi)) r.fail(deg ? "range_deg" : "range", "range is empty or reversed");
            if (r.has("default_deg")) c.default_value = r.scalar("default_deg") * kDeg;
            else if (r.has("default")) c.default_value = r.scalar("default");
            d.coordinates.push_back(c);
        } else if (kw == "muscle") {
            requireName(r);
            d.muscles.push_back(parseMuscle(r));
        } else if (kw == "point") {
            if (d.muscles.empty()) r.fail("", "'point' before any 'muscle' record");
            PathPointDesc p;
            p.body = r.raw("body");
            p.at = r.vec3("at");
            p.where = r.where;
            if (r.has("moving")) {
                p.moving = r.raw("moving");
                p.knots = r.numbers("knots_deg", 0);
                for (double& k : p.knots) k *= kDeg;
                const auto xs = r.numbers("xs", p.knots.size()), ys = r.numbers("ys", p.knots.size()),
                           zs = r.numbers("zs", p.knots.size());
                if (p.knots.size() < 2) r.fail("knots_deg", "a moving point needs at least two knots");
                for (size_t k = 1; k < p.knots.size(); ++k)
                    if (!(p.knots[k] > p.knots[k - 1])) r.fail("knots_deg", "knots must increase");
                for (size_t k = 0; k < p.knots.size(); ++k) p.table.push_back({xs[k], ys[k], zs[k]});
            }
            d.muscles.back().points.push_back(p);
        } else if (kw == "wrap") {
            requireName(r);
            d.wraps.push_back(parseWrap(r));
        } else if (kw == "wrapref") {
            requireName(r);
            if (d.muscles.empty()) r.fail("", "'wrapref' before any 'muscle' record");
            auto seg = r.numbers("between", 2);
            if (seg[1] != seg[0] + 1 || seg[0] < 0 || seg[0] != std::floor(seg[0]))
                r.fail("between", "expected two consecutive point indices i,i+1");
            d.muscles.back().wraps.push_back({r.name, static_cast<int>(seg[0]), r.where});
        } else if (kw == "lumbar_stiffness") {
            requireName(r);
            LumbarStiffnessDesc s;
            s.joint = r.name;
            s.where = r.where;
            s.flexion = r.positive("flexion");
            s.extension = r.positive("extension");
            s.bending = r.positive("bending");
            s.rotation = r.positive("rotation");
            d.lumbar_stiffness.push_back(s);
        } else {
            r.fail("", "unknown record '" + kw + "'");
        }
    });
    if (!have_model) throw fileError(file, lines, "model", "no 'model' record in file");
    validateModelDescription(d);
    return d;
}

ModelDescription readModelFile(const std::string& path) {
    return parseModelText(readInputFile(path, "model file"), path);
}

}  // namespace corestride
