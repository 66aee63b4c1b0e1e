// Published measurements of the validation suite (see the header). What was read where, and
// what could not be verified, is in docs/validation_references.md; bands marked "project
// band" are this project's tolerance around a published value, not a published interval.
#include "validation_data.h"

#include <cmath>

#include "paths.h"
#include "exercise.h"
#include "model.h"
#include "model_parser.h"
#include "training.h"

namespace corestride {

// Pressure to force. Published factors range from 0.66 (Dreischarf et al. 2013, finite-element
// estimate) to 1.5 (Nachemson 1960s) times pressure x disc area, L4/L5 disc area about
// 1800 mm^2 (both unverified here). The bands below therefore use the instrumented-implant
// measurement where one exists and factor 1.0 (1800 N per MPa) otherwise; the factor's spread
// is written into each band.
const Conversion kDiscConversion{
    "Force = pressure x 1800 mm^2 (L4/L5 disc area) x factor 0.66-1.5 (unverified); bands span that factor",
    "Dreischarf M et al. (2016) J Biomech 49:833 (review) and the sources it cites"};

// Relaxed standing: 0.50 MPa at L4/L5 (Wilke 1999, one man, 45 y, 70 kg; checked). With
// factors 0.66-1.5 and 1800 mm^2: 594-1350 N; the instrumented vertebral body replacement
// (Rohlmann/Bergmann; checked) gives about 400 N. Project band 400-1000 N (about 0.55-1.4 BW).
const LoadBand kWilkeStanding{400.0 / 1800.0, 1000.0 / 1800.0, 1800.0,
                              "0.50 MPa relaxed standing (checked); implant about 400 N (checked); project band 400-1000 N",
                              "Wilke HJ, Neef P, Caimi M, Hoogland T, Claes LE (1999) Spine 24:755-762; Rohlmann A et al. (instrumented "
                              "vertebral body replacement)"};

// Jogging: 0.35-0.95 MPa at L4/L5 (Wilke 1999; this range is unverified: the abstract names
// jogging without the values). Peak 0.95 MPa x 1800 mm^2 x 0.66-1.5: 1130-2565 N. Project band
// for the peak: 0.6 to 2.6 kN.
const LoadBand kWilkeJogging{600.0 / 1800.0, 2600.0 / 1800.0, 1800.0,
                             "jogging 0.35-0.95 MPa (unverified); peak 0.95 MPa x 1800 mm^2 x 0.66-1.5 = 1.1-2.6 kN; project band "
                             "0.6-2.6 kN",
                             "Wilke HJ et al. (1999) Spine 24:755-762"};

// Hip contact in jogging: about 550 % BW in patient 1 (Bergmann 1993, checked; speed
// unverified). Project band 4.0-7.5 BW.
const ForceBand kBergmannJogging{4.0, 7.5, "about 5.5 BW jogging, instrumented prosthesis (checked); project band 4.0-7.5 BW",
                                 "Bergmann G, Graichen F, Rohlmann A (1993) J Biomech 26:969-990"};

// Peak Achilles tendon force in treadmill running, from shear wave tensiometry calibrated for
// each participant with an isometric task (in vivo, noninvasive): 8.2-10.1 BW over the running
// speeds 2.68, 3.35 and 4.47 m/s, rising monotonically with speed (abstract, checked; the
// per-speed means and the number of participants were not read). By that monotonic rise the
// group mean at any speed between 2.68 and 4.47 m/s lies within 8.2-10.1 BW, which is the band.
const ForceBand kReiterAchillesRunning{
    8.2, 10.1,
    "peak Achilles tendon force 8.2-10.1 BW over running at 2.68-4.47 m/s, rising monotonically with speed "
    "(shear wave tensiometry, in vivo; abstract, checked): the mean at any speed in between lies in that range",
    "Reiter AJ, Martin JA, Knurr KA, Adamczyk PG, Thelen DG (2024) Med Sci Sports Exerc 56(6):1077-1084, "
    "doi 10.1249/MSS.0000000000003396"};

// Muscle timing. Stance lasts 30-37 % of the stride in running (Gazendam & Hof 2007,
// Gait Posture 25:604, checked). Quadriceps dominate early stance, soleus and gastrocnemius
// the second half of stance (Hamner et al. 2010, J Biomech 43:2709, checked); the calf is
// active from late swing through stance, 86-125 % of the stride (Gazendam & Hof 2007,
// checked). Trunk EMG is biphasic and locked to each foot strike (Saunders et al. 2005,
// Clin Biomech 20:784, checked); the +-15 % window around foot strike is a project band.
const std::vector<EmgBand> kEmgTiming = {
    {"vasti", "vasti (summed activation): phase of the peak, % stride after right foot strike",
     {"vasmed_r", "vasint_r", "vaslat140_r"}, false, -10, 20,
     "early stance: from late swing (-10 %) to the middle of stance (about 17 % of the stride)",
     "Hamner SR, Seth A, Delp SL (2010) J Biomech 43:2709; Gazendam MGJ, Hof AL (2007) Gait Posture 25:604"},
    {"plantarflexors", "soleus and gastrocnemius: phase of the peak, % stride", {"soleus_r", "gasmed_r", "gaslat140_r"}, false, 10, 37,
     "second half of stance; stance ends at 30-37 % of the stride", "Hamner 2010; Gazendam & Hof 2007"},
    {"glmed", "gluteus medius: phase of the peak, % stride", {"glmed1_r", "glmed2_r", "glmed3_r"}, false, -10, 30,
     "stance (single-leg support), from foot strike to late stance", "Hamner 2010; Gazendam & Hof 2007"},
    {"erector_spinae", "lumbar erector spinae: distance of the peak (two half-strides averaged) from the nearer foot strike, % stride",
     {"il_l1_r", "il_l2_r", "il_l3_r", "il_l4_r", "ltpl_l1_r", "ltpl_l2_r", "ltpl_l3_r", "ltpl_l4_r", "ltpl_l5_r"}, true, 0, 15,
     "biphasic, locked to each foot strike (checked); within 15 % of the stride (project band)",
     "Saunders SW, Schache A, Rath D, Hodges PW (2005) Clin Biomech 20:784-793; Cappellini G et al. (2006) J Neurophysiol 95:3426"},
};

// The shared Hamner & Delp 2013 trials: runner mass from the released scaled model (72.84 kg);
// the height 1.80 m is an assumption (not in the release notes read); windows from the trials'
// frames.txt (one right-heel-strike cycle each). The trials' inverse kinematics were solved on
// that scaled model, whose legs are longer than CoreStride's at 1.80 m (StrideRunner in
// reference_motion.h: hip to knee 0.4324 against 0.4213 m, knee to ankle 0.4781 against
// 0.4116 m); validation.cpp gives the runs his leg proportions (strideRunnerLegFactors), so
// that the measured centre of pressure lands where his foot was (docs/simulation.md, "User
// files"; without them the foot-contact check fails).
const std::vector<SharedTrial> kSharedTrials = {
    {"30002", "Hamner & Delp 2013 subject 01, 3.0 m/s", 72.84, 1.80, 1.231, 1.954},
    {"40002", "Hamner & Delp 2013 subject 01, 4.0 m/s", 72.84, 1.80, 1.546, 2.224},
};

namespace {

struct TrainingTrial {
    const char* id;
    const char* what;
    std::vector<std::string> exercises;
    double weeks, sessions, s0, mean_gain;
    const char* published;
    const char* citation;
};

// The gluteus medius gain the shipped model predicts for a programme (as in
// tests/sim/study/training_test.cpp); bands are the trial mean /1.5 to x1.5 (project band: no SD
// or CI was available in the text read).
const std::vector<TrainingTrial> kTrainingTrials = {
    {"snyder2009", "healthy women, 6 weeks closed-chain hip rotation (single-leg squat), 3/week", {"single_leg_squat"}, 6, 3, 1.0, 0.13,
     "+13 % isometric hip abduction", "Snyder KR, Earl JE, O'Connor KM, Ebersole KT (2009) Clin Biomech 24:26-34"},
    {"thorborg2010", "healthy, 6 weeks side-lying hip abduction without load, 3/week", {"side_lying_leg_raise"}, 6, 3, 1.0, 0.11,
     "+11 % isometric hip abduction", "Thorborg K, Bandholm T, Petersen J, Weeke KMO, Weinold C, Andersen B, Serner A, Magnusson SP, Holmich P (2010) Scand J Med Sci Sports 20(Suppl 2):70-77, doi 10.1111/j.1600-0838.2010.01186.x"},
    {"dolak2011", "women with patellofemoral pain (strength 0.83), 8 weeks hip then functional, 3/week",
     {"side_lying_leg_raise", "single_leg_squat"}, 8, 3, 5.4 / 6.5, 0.21, "+21 % hip abduction at 8 weeks", "Dolak KL et al. (2011) J Orthop Sports Phys Ther 41(8):560-570"},
    {"palmer2015", "asymptomatic with knee valgus, 5 weeks motor-control programme, 3/week", {"single_leg_squat"}, 5, 3, 1.0, 0.27,
     "+27 % (functional motor-control group)", "Palmer K, Hebron C, Williams JM (2015) BMC Musculoskelet Disord 16:105"},
    {"ferber2011", "runners with patellofemoral pain (strength 0.83 assumed), 3 weeks hip abductors, 3/week",
     {"side_lying_leg_raise"}, 3, 3, 5.4 / 6.5, 0.33, "+33 % (magnitude unverified)", "Ferber R, Kendall KD, Farr L (2011) J Athl Train 46:142-149"},
};

}  // namespace

std::vector<ValidationRow> trainingRows() {
    std::vector<ValidationRow> rows;
    auto model = Model::build(readModelFile(defaultModelPath()), Subject{});
    const std::vector<Exercise> lib = readExerciseLibrary(defaultExerciseDir());
    const TrainingParams params = readTrainingParams(defaultTrainingParamsPath());
    const int gmed = model->groupIndex("glute_med"), probe = model->muscleIndex("glmed2_r");
    for (const TrainingTrial& t : kTrainingTrials) {
        ValidationRow row{std::string("training_") + t.id, "Training: gluteus medius strength gain", t.what, 0, "%",
                          100 * t.mean_gain / 1.5, 100 * t.mean_gain * 1.5, t.published, t.citation, ""};
        std::vector<double> s0(model->muscles().size(), 1.0);
        for (size_t i = 0; i < s0.size(); ++i)
            for (int g : model->muscles()[i].groups)
                if (g == gmed) s0[i] = t.s0;
        std::vector<const Exercise*> program;
        for (const std::string& name : t.exercises)
            for (const Exercise& e : lib)
                if (e.name == name) program.push_back(&e);
        if (program.size() != t.exercises.size() || probe < 0) {
            row.skipped = "an exercise or glmed2_r is missing from the shipped library or model";
        } else {
            const std::vector<double> s = trainStrength(*model, s0, program, t.weeks, t.sessions, params);
            row.value = 100 * (s[probe] / s0[probe] - 1);
        }
        rows.push_back(row);
    }
    return rows;
}

}  // namespace corestride
