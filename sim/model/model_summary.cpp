#include "model_summary.h"

#include <cmath>
#include <iomanip>

#include "model_forces.h"

namespace corestride {

void printModelSummary(const Model& model, std::ostream& out) {
    const SimTK::State& s = model.defaultState();
    const auto& matter = model.matter();
    out << std::fixed;
    out << "model " << model.name() << ": subject " << std::setprecision(1) << model.subject().mass << " kg, "
        << std::setprecision(2) << model.subject().height << " m; total mass " << std::setprecision(2)
        << model.totalMass() << " kg\n";
    // Each body's origin from its parent's in the default pose: the segment lengths that
    // inverse kinematics for user files must match (docs/simulation.md, "User files").
    SimTK::State pose = s;
    model.system().realize(pose, SimTK::Stage::Position);
    out << "\nbodies (" << matter.getNumBodies() - 1 << " incl. massless frames; origin from the parent's origin in the "
        << "default pose, m):\n";
    for (SimTK::MobilizedBodyIndex i(1); i < matter.getNumBodies(); ++i) {
        const SimTK::MobilizedBody& b = matter.getMobilizedBody(i);
        const double m = b.getBodyMass(s);
        if (m == 0) continue;
        SimTK::MobilizedBodyIndex parent = b.getParentMobilizedBody().getMobilizedBodyIndex();
        while (parent != 0 && matter.getMobilizedBody(parent).getBodyMass(s) == 0)   // past massless frames
            parent = matter.getMobilizedBody(parent).getParentMobilizedBody().getMobilizedBodyIndex();
        out << "  " << std::left << std::setw(10) << model.bodyNames()[i] << std::right << std::setw(8)
            << std::setprecision(3) << m << " kg   parent " << std::left << std::setw(20) << model.bodyNames()[parent]
            << std::right;
        if (parent != 0)
            out << std::setprecision(3) << (b.getBodyOriginLocation(pose) - matter.getMobilizedBody(parent).getBodyOriginLocation(pose)).norm()
                << " m";
        out << "\n";
    }
    out << "\ncoordinates (" << model.coordinates().size() << "):\n";
    for (const Coordinate& c : model.coordinates()) {
        const double f = c.rotational ? 180.0 / M_PI : 1.0;
        out << "  " << std::left << std::setw(18) << c.name << std::right << std::setprecision(1) << " range "
            << std::setw(7) << c.lo * f << " .. " << std::setw(7) << c.hi * f << (c.rotational ? " deg" : " m  ");
        if (c.u.size() > 1) {
            out << "  spread over " << c.u.size() << " levels:";
            for (double r : c.ratio) out << " " << std::setprecision(4) << r;
        }
        out << "\n";
    }
    out << "\nlumbar levels (" << model.lumbarLevels().size() << "), each its own joint with its own reaction load:\n";
    for (const LumbarLevel& lv : model.lumbarLevels())
        out << "  " << std::left << std::setw(6) << lv.joint << std::right << " stiffness N m/rad: flexion "
            << std::setprecision(0) << lv.k_flexion << ", extension " << lv.k_extension << ", bending "
            << lv.k_bending << ", rotation " << lv.k_rotation << "\n";
    std::string elastic;
    for (const Muscle& m : model.muscles())
        if (m.compliant_tendon) elastic += (elastic.empty() ? "" : ", ") + m.name;
    out << "\nmuscles (" << model.muscles().size() << " musculotendon units; tendon model "
        << toString(model.options().tendon) << ", elastic tendons: " << (elastic.empty() ? "none" : elastic)
        << ") by group:\n";
    for (int g = 0; g < static_cast<int>(model.groupNames().size()); ++g) {
        int n = 0;
        double fmax = 0;
        std::string names;
        for (const Muscle& m : model.muscles())
            for (int mg : m.groups)
                if (mg == g) { ++n; fmax += m.fmax; if (m.side != Side::Left) names += " " + m.name; }
        out << "  " << std::left << std::setw(22) << model.groupNames()[g] << std::right << std::setw(3) << n
            << " units, sum fmax " << std::setw(7) << std::setprecision(0) << fmax << " N;" << names << "\n";
    }
    out << "  (names of right-side and midline units shown; left side mirrors the right)\n";
}

}  // namespace corestride
