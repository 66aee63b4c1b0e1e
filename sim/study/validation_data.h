// Published measurements the validation suite compares with (sim/study/validation.cpp). Every
// number carries its source here; docs/validation_references.md records where each was
// read and how it was checked.
#pragma once

#include <string>
#include <vector>

#include "validation.h"

namespace corestride {

// An intradiscal-pressure band (MPa) and the factor turning pressure into compressive force.
struct LoadBand {
    double lo_mpa = 0, hi_mpa = 0;
    double newton_per_mpa = 0;   // N per MPa: disc area x correction factor (kDiscConversion)
    std::string published, citation;
};

// How intradiscal pressure becomes compression (published, citation).
struct Conversion {
    std::string published, citation;
};

struct ForceBand {
    double lo = 0, hi = 0;   // body weights
    std::string published, citation;
};

// Timing of a muscle's peak activation in the running stride, % of the stride after right
// foot strike in (-50, 50]; either_foot: the two half-strides averaged, distance of that peak
// from the nearer foot strike (0..25).
struct EmgBand {
    std::string id, what;
    std::vector<std::string> muscles;   // right-side muscles of the model whose summed activation is timed
    bool either_foot = false;
    double lo = 0, hi = 0;
    std::string published, citation;
};

struct SharedTrial {
    const char* id;
    const char* label;
    double mass, height;   // kg, m
    double t0, t1;         // s: one right-heel-strike cycle
};

extern const Conversion kDiscConversion;
extern const LoadBand kWilkeStanding, kWilkeJogging;
extern const ForceBand kBergmannJogging, kReiterAchillesRunning;
extern const std::vector<EmgBand> kEmgTiming;
extern const std::vector<SharedTrial> kSharedTrials;

// The training cases: the model's predicted strength gain for published programmes.
std::vector<ValidationRow> trainingRows();

}  // namespace corestride
