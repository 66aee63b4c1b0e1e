// Cross-record checks of a ModelDescription: every reference resolves, names are unique,
// the joints form one tree rooted at ground, coupling ratios sum to one.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "error.h"
#include "model_parser.h"

namespace corestride {
namespace {

[[noreturn]] void fail(const SourceLocation& w, const std::string& key, const std::string& msg) {
    throw fileError(w.file, w.line, key, msg);
}

template <class T>
std::map<std::string, const T*> uniqueNames(const std::vector<T>& items, const std::string& what) {
    std::map<std::string, const T*> out;
    for (const auto& it : items)
        if (!out.emplace(it.name, &it).second)
            fail(it.where, "name", "duplicate " + what + " '" + it.name + "'");
    return out;
}

}  // namespace

void validateModelDescription(const ModelDescription& d) {
    const auto bodies = uniqueNames(d.bodies, "body");
    const auto groups = uniqueNames(d.groups, "group");
    const auto wraps = uniqueNames(d.wraps, "wrap");
    uniqueNames(d.joints, "joint");
    uniqueNames(d.muscles, "muscle");
    const auto coords = uniqueNames(d.coordinates, "coordinate");
    const SourceLocation file_end{d.file, 0};
    if (d.muscles.empty()) fail(file_end, "", "no 'muscle' records: a musculoskeletal model needs muscles");

    // Joints: one joint per body, parents known, a tree rooted at ground.
    std::map<std::string, const JointDesc*> joint_of_child;
    std::set<std::string> joint_coords;
    std::map<std::string, double> ratio_sum;
    std::map<std::string, const JointDesc*> first_coupled;
    for (const auto& j : d.joints) {
        if (j.parent != "ground" && !bodies.count(j.parent))
            fail(j.where, "parent", "unknown body '" + j.parent + "'");
        if (!bodies.count(j.child)) fail(j.where, "child", "unknown body '" + j.child + "'");
        if (j.child == j.parent) fail(j.where, "child", "a body cannot be its own parent");
        if (!joint_of_child.emplace(j.child, &j).second)
            fail(j.where, "child", "body '" + j.child + "' already has a joint");
        for (const auto& c : j.coordinates)
            if (!joint_coords.insert(c).second)
                fail(j.where, "coordinates", "coordinate '" + c + "' defined twice");
        for (size_t k = 0; k < j.coupled.size(); ++k) {
            ratio_sum[j.coupled[k]] += j.ratios[k];
            first_coupled.emplace(j.coupled[k], &j);
        }
    }
    for (const auto& [name, sum] : ratio_sum) {
        if (joint_coords.count(name))
            fail(first_coupled[name]->where, "coupled",
                 "'" + name + "' is both a joint coordinate and a coupled coordinate");
        if (std::abs(sum - 1.0) > 1e-3)
            fail(first_coupled[name]->where, "ratios",
                 "coupling ratios of '" + name + "' sum to " + std::to_string(sum) + ", not 1");
        joint_coords.insert(name);
    }
    for (const auto& b : d.bodies) {
        auto it = joint_of_child.find(b.name);
        if (it == joint_of_child.end()) fail(b.where, "name", "body '" + b.name + "' has no joint");
        // Walk to ground; a cycle never reaches it.
        std::string at = b.name;
        for (size_t steps = 0; at != "ground"; ++steps) {
            if (steps > d.bodies.size()) fail(b.where, "name", "joints form a loop through '" + b.name + "'");
            const auto up = joint_of_child.find(at);
            if (up == joint_of_child.end()) {   // an ancestor listed later, without a joint
                const auto body = std::find_if(d.bodies.begin(), d.bodies.end(), [&](const BodyDesc& x) { return x.name == at; });
                fail(body != d.bodies.end() ? body->where : b.where, "name", "body '" + at + "' has no joint");
            }
            at = up->second->parent;
        }
    }

    // Coordinates: every joint coordinate has a record with its range, and no stray records.
    for (const auto& c : d.coordinates) {
        if (!joint_coords.count(c.name))
            fail(c.where, "name", "coordinate '" + c.name + "' belongs to no joint");
        if (c.default_value < c.range_lo || c.default_value > c.range_hi)
            fail(c.where, "default_deg", "default lies outside the range");
    }
    for (const auto& name : joint_coords)
        if (!coords.count(name))
            fail(file_end, "coordinate", "coordinate '" + name + "' has no 'coordinate' record with its range");

    for (const auto& w : d.wraps)
        if (!bodies.count(w.body)) fail(w.where, "body", "unknown body '" + w.body + "'");

    for (const auto& m : d.muscles) {
        for (const auto& g : m.groups)
            if (!groups.count(g)) fail(m.where, "groups", "unknown group '" + g + "'");
        if (m.points.size() < 2)
            fail(m.where, "point", "muscle '" + m.name + "' needs at least two path points");
        if (m.points.size() > 16) fail(m.where, "point", "muscle '" + m.name + "' has more than 16 path points");
        for (const auto& p : m.points) {
            if (!bodies.count(p.body)) fail(p.where, "body", "unknown body '" + p.body + "'");
            if (p.moving.empty()) continue;
            bool plain = false;
            for (const auto& j : d.joints)
                for (const auto& c : j.coordinates) plain |= (c == p.moving && j.type != JointType::Free);
            if (!plain) fail(p.where, "moving", "'" + p.moving + "' is not a coordinate of a gimbal or pin joint");
        }
        if (m.points.front().body == m.points.back().body)
            fail(m.points.back().where, "body", "origin and insertion of '" + m.name + "' are on the same body");
        for (const auto& w : m.wraps) {
            if (!wraps.count(w.wrap)) fail(w.where, "name", "unknown wrap '" + w.wrap + "'");
            if (w.segment + 1 >= static_cast<int>(m.points.size()))
                fail(w.where, "between", "muscle '" + m.name + "' has no segment " +
                                             std::to_string(w.segment) + "," + std::to_string(w.segment + 1));
        }
    }

    for (const auto& s : d.lumbar_stiffness) {
        const JointDesc* j = nullptr;
        for (const auto& jd : d.joints) if (jd.name == s.joint) j = &jd;
        if (!j) fail(s.where, "name", "unknown joint '" + s.joint + "'");
        if (j->coupled.empty()) fail(s.where, "name", "joint '" + s.joint + "' is not a lumbar (coupled) joint");
    }
}

}  // namespace corestride
