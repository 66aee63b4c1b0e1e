// The editable description of a model, exactly as read from a model file
// (docs/model_format.md). SI units and radians; no Simbody types. A description is turned
// into an immutable Model by Model::build() (model.h), which is where cross-checks between
// records that the parser cannot see alone are made.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "record_reader.h"   // SourceLocation, Vec3d

namespace corestride {

struct BodyDesc {
    std::string name;
    double mass = 0;                 // kg
    Vec3d com{};                     // m, body frame
    std::array<double, 6> inertia{}; // kg m^2 about the COM, body frame: xx yy zz xy xz yz
    SourceLocation where;
};

enum class JointType { Free, Gimbal, Pin, Weld };

// One signed axis of a joint frame: index 0..2 (x, y, z) and sign +1 or -1.
struct SignedAxis {
    int index = 2;
    int sign = 1;
};

struct JointDesc {
    std::string name;
    JointType type = JointType::Weld;
    std::string parent;              // body name or "ground"
    std::string child;
    Vec3d location_in_parent{};      // m, parent body frame
    Vec3d orientation_in_parent{};   // rad, body-fixed X-Y-Z
    Vec3d location_in_child{};       // m, child body frame
    Vec3d orientation_in_child{};    // rad, body-fixed X-Y-Z
    std::vector<SignedAxis> axes;    // gimbal 3, pin 1, free 0 (fixed Z-X-Y), weld 0
    std::vector<std::string> coordinates;
    // Lumbar coupling: the joint's three angles are ratios[k] * value of coupled[k].
    std::vector<std::string> coupled;
    std::vector<double> ratios;
    SourceLocation where;
};

struct CoordinateDesc {
    std::string name;
    double range_lo = 0, range_hi = 0;  // rad or m
    double default_value = 0;           // rad or m
    bool has_range = false;
    SourceLocation where;
};

struct GroupDesc {
    std::string name;
    std::string description;
    SourceLocation where;
};

struct PathPointDesc {
    std::string body;
    Vec3d at{};                      // m, body frame
    // A moving point: its location is a function of one coordinate (e.g. the patella's
    // insertion as a function of the knee angle), tabulated at knots (rad); empty otherwise.
    std::string moving;
    std::vector<double> knots;
    std::vector<Vec3d> table;        // m, body frame, one per knot
    SourceLocation where;
};

struct WrapDesc {
    std::string name;
    std::string body;
    Vec3d center{};                  // m, body frame
    Vec3d axis{};                    // unit, body frame
    Vec3d side{};                    // unit, perpendicular to axis, body frame
    double radius = 0;               // m
    SourceLocation where;
};

struct WrapRefDesc {
    std::string wrap;
    int segment = 0;                 // wraps the straight segment between points segment, segment+1
    SourceLocation where;
};

enum class Side { Right, Left, Mid };

struct MuscleDesc {
    std::string name;
    Side side = Side::Mid;
    std::vector<std::string> groups;
    double fmax = 0;                 // N, maximal isometric force
    double lopt = 0;                 // m, optimal fibre length
    double lts = 0;                  // m, tendon slack length
    double pennation = 0;            // rad, at optimal fibre length
    double vmax = 10;                // optimal fibre lengths per second
    std::vector<PathPointDesc> points;
    std::vector<WrapRefDesc> wraps;
    SourceLocation where;
};

// Passive stiffness of one lumbar level (discs and ligaments), N m/rad.
struct LumbarStiffnessDesc {
    std::string joint;
    double flexion = 0, extension = 0, bending = 0, rotation = 0;
    SourceLocation where;
};

struct ModelDescription {
    std::string file;                // where it was read from
    std::string name;
    double reference_mass = 0;       // kg
    double reference_height = 0;     // m
    std::vector<GroupDesc> groups;
    std::vector<BodyDesc> bodies;
    std::vector<JointDesc> joints;
    std::vector<CoordinateDesc> coordinates;
    std::vector<WrapDesc> wraps;
    std::vector<MuscleDesc> muscles;
    std::vector<LumbarStiffnessDesc> lumbar_stiffness;
};

}  // namespace corestride
