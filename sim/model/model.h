// The immutable model: a realized Simbody system built from a ModelDescription, plus the
// name tables and scaled muscle parameters every algorithm needs. Nothing in a Model changes
// after build(); everything that varies during a run lives in a SimTK::State (and in the
// caller's workspace). Reading a Model from several threads is safe; simulating one Model
// from two threads at once is not (Simbody 3.7 keeps per-System scratch while it realizes a
// State), so every sweep worker builds and owns its models (sweep.h, SweepModelCache).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <Simbody.h>

#include "model_description.h"

namespace corestride {

// The person a model is scaled to. Masses scale with mass / reference mass; lengths with
// height / reference height; inertias with both. Maximal muscle forces are not scaled.
// thigh_scale and shank_scale lengthen the femurs and tibias beyond that, along their long
// axis (body y: joint centres, mass centres, path points and wrap cylinder centres; the
// transverse moments of inertia with the square, as for a long bone; widths and wrap radii
// stay), so that the model can match the segment lengths of another model whose inverse
// kinematics it replays (docs/simulation.md, "User files"). A muscle's optimal fibre length
// and tendon slack length then scale with its musculotendon length in the default pose, as in
// OpenSim's Scale tool.
struct Subject {
    double mass = 75.0;    // kg
    double height = 1.75;  // m
    double thigh_scale = 1.0;   // femur_r, femur_l lengths x this, on top of the height scaling
    double shank_scale = 1.0;   // tibia_r, tibia_l
};

// Which tendons are elastic (docs/simulation.md, "Tendons"). A rigid tendon is accurate when
// the tendon is short beside the fibres and wrong for the Achilles tendon in running, whose
// stretch and recoil let the soleus and gastrocnemius fibres work slowly through push-off.
enum class TendonModel {
    Rigid,          // every tendon rigid
    TricepsSurae,   // the muscles of the model's group "triceps_surae" elastic, the rest rigid
    Compliant,      // every tendon at least as long as its optimal fibre length elastic
};

// Choices made once per model build.
struct BuildOptions {
    TendonModel tendon = TendonModel::TricepsSurae;
};

const char* toString(TendonModel t);
// The TendonModel named by toString's word; false for any other text.
bool parseTendonModel(const std::string& word, TendonModel& out);

class ModelForces;

// A named coordinate: either one mobility of one mobilizer, or a lumbar global coordinate
// spread over several mobilities with fixed ratios (the value is then the sum of them).
struct Coordinate {
    std::string name;
    bool rotational = true;
    double lo = 0, hi = 0, default_value = 0;        // rad or m
    std::vector<int> u;                              // mobility indices (q index == u index)
    std::vector<double> ratio;                       // 1 for a plain coordinate
};

struct PathPoint {
    SimTK::MobilizedBodyIndex body;
    SimTK::Vec3 p_B;                                 // m, in the body frame (fixed points)
    // Moving point: location tabulated over one mobility's angle (knots, rad), interpolated
    // by a C1 cubic (finite-difference slopes), clamped outside the knots.
    int moving_u = -1;
    std::vector<double> knots;
    std::vector<SimTK::Vec3> table;
    // Location in the body frame at the state's angle, and its derivative with respect to it.
    SimTK::Vec3 locate(const SimTK::State& state, SimTK::Vec3* dp_dq = nullptr) const;
};

struct Wrap {
    std::string name;
    SimTK::MobilizedBodyIndex body;
    SimTK::Vec3 center_B, axis_B, side_B;            // m, unit, unit; body frame
    double radius = 0;                               // m
};

struct MuscleWrap {
    int wrap = 0;                                    // index into Model::wraps()
    int segment = 0;                                 // between points segment and segment + 1
};

struct Muscle {
    std::string name;
    Side side = Side::Mid;
    std::vector<int> groups;                         // indices into Model::groupNames()
    double fmax = 0;                                 // N
    double lopt = 0;                                 // m
    double lts = 0;                                  // m
    double pennation = 0;                            // rad, at optimal fibre length
    double vmax = 10;                                // lopt per second
    std::vector<PathPoint> path;
    std::vector<MuscleWrap> wraps;
    bool compliant_tendon = false;                   // elastic tendon (BuildOptions::tendon)
};

struct LumbarLevel {
    std::string joint;                               // e.g. "L5_S1"
    SimTK::MobilizedBodyIndex body;                  // the upper vertebra (child)
    SimTK::MobilizedBodyIndex parent;                // the lower vertebra or the pelvis (sacrum)
    // Disc frame D of the level, fixed in the lower body: the joint frame of the model file
    // (x anterior, y superior along the disc normal, z to the right), origin at the joint centre.
    SimTK::Transform X_PD;
    int u0 = 0;                                      // first of its three mobilities
    // Passive disc-and-ligament stiffness, N m/rad, of the level's own angles.
    double k_flexion = 0, k_extension = 0, k_bending = 0, k_rotation = 0;
    int slot_extension = 0, slot_bending = 1, slot_rotation = 2;  // gimbal slot of each axis
};

class Model {
public:
    // Builds and realizes the Simbody system. Throws UserError for descriptions that
    // validateModelDescription() rejects, or for a subject with non-positive size.
    static std::shared_ptr<const Model> build(const ModelDescription& desc, const Subject& subject,
                                              const BuildOptions& options = {});

    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;
    ~Model();

    const SimTK::MultibodySystem& system() const { return *system_; }
    const SimTK::SimbodyMatterSubsystem& matter() const { return *matter_; }
    // A state at the default pose, realized to Stage::Model; copy it to start a run.
    const SimTK::State& defaultState() const { return default_state_; }

    const std::string& name() const { return name_; }
    const Subject& subject() const { return subject_; }
    // Subject height / the model file's reference height: the factor every length was scaled by.
    double lengthScale() const { return length_scale_; }
    double totalMass() const;                                    // kg

    const std::vector<std::string>& bodyNames() const { return body_names_; }
    SimTK::MobilizedBodyIndex bodyIndex(const std::string& name) const;  // throws UserError
    const std::vector<Coordinate>& coordinates() const { return coordinates_; }
    int coordinateIndex(const std::string& name) const;          // -1 if unknown
    const std::vector<std::string>& groupNames() const { return group_names_; }
    int groupIndex(const std::string& name) const;               // -1 if unknown
    const std::vector<Muscle>& muscles() const { return muscles_; }
    int muscleIndex(const std::string& name) const;              // -1 if unknown
    const std::vector<Wrap>& wraps() const { return wraps_; }
    const std::vector<LumbarLevel>& lumbarLevels() const { return lumbar_; }
    int numMobilities() const { return num_u_; }
    const BuildOptions& options() const { return options_; }
    bool hasCompliantTendons() const { return compliant_tendons_ > 0; }    // any muscle's tendon elastic
    // The force element holding muscle, passive-joint and range-limit forces, and the
    // per-state muscle variables (activation, excitation, strength).
    const ModelForces& forces() const { return *force_impl_; }

    // Adds a generalized force T (N m or N) on coordinate c to mobility forces tau_u. For a
    // lumbar coordinate it is spread as tau_k = r_k T / sum(r^2), the smallest torques whose
    // virtual work along the coupled motion (dq_k = r_k dtheta) is T dtheta.
    void addCoordinateForce(int c, double T, SimTK::Vector& tau_u) const;

    // Writes the value of a coordinate into a state's q (all its mobilities, by ratio).
    void setCoordinate(SimTK::State& state, int coordinate, double value) const;
    double getCoordinate(const SimTK::State& state, int coordinate) const;

private:
    Model() = default;
    std::string name_;
    Subject subject_;
    BuildOptions options_;
    int compliant_tendons_ = 0;
    double length_scale_ = 1;
    const ModelForces* force_impl_ = nullptr;   // owned by the Force::Custom in forces_
    std::unique_ptr<SimTK::MultibodySystem> system_;
    std::unique_ptr<SimTK::SimbodyMatterSubsystem> matter_;
    std::unique_ptr<SimTK::GeneralForceSubsystem> forces_;
    SimTK::State default_state_;
    std::vector<std::string> body_names_;                       // by MobilizedBodyIndex
    std::vector<Coordinate> coordinates_;
    std::vector<std::string> group_names_;
    std::vector<Muscle> muscles_;
    std::vector<Wrap> wraps_;
    std::vector<LumbarLevel> lumbar_;
    int num_u_ = 0;
    friend class ModelBuilder;
};

}  // namespace corestride
