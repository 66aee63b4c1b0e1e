// `corestride bench`: the per-stride, per-interval and per-muscle costs of the default model in
// strict mode, one compensated stride, and how the costs grow with the number of muscles. A benchmark, not a test: it
// prints numbers and asserts nothing.
#include <algorithm>
#include <chrono>
#include <iomanip>

#include <boost/program_options.hpp>

#include "cli.h"
#include "cli_common.h"
#include "error.h"
#include "model_forces.h"
#include "model_parser.h"
#include "muscle.h"
#include "muscle_path.h"
#include "paths.h"
#include "run.h"
#include "scenario.h"

namespace po = boost::program_options;

namespace corestride {
namespace {

double seconds(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// The description with its muscles scaled to `count` (a prefix, or copies with new names).
ModelDescription withMuscleCount(const ModelDescription& d, size_t count) {
    ModelDescription out = d;
    out.muscles.clear();
    for (size_t i = 0; i < count; ++i) {
        MuscleDesc m = d.muscles[i % d.muscles.size()];
        if (i >= d.muscles.size()) m.name += "_copy" + std::to_string(i / d.muscles.size());
        out.muscles.push_back(m);
    }
    return out;
}

}  // namespace

int benchCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
    po::options_description opts("bench options");
    opts.add_options()("help,h", "show this help")("repeats", po::value<int>()->default_value(3), "strides per measurement")
        ("speed", po::value<double>()->default_value(3.5), "running speed, m/s");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(opts).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UserError(std::string("command line: ") + e.what());
    }
    if (vm.count("help")) { out << "usage: corestride bench [--repeats N] [--speed V]\n" << opts; return 0; }
    const int repeats = std::max(1, vm["repeats"].as<int>());
    const ModelDescription desc = readModelFile(defaultModelPath());
    const auto trials = readStrideFile(builtinStrideFile());
    out << std::fixed << std::setprecision(3);
#ifdef NDEBUG
    out << "build: NDEBUG (unexpected: Debian's Simbody needs it off)\n";
#endif
    out << "corestride bench: default model, strict mode, " << vm["speed"].as<double>() << " m/s, one stride, median of "
        << repeats << "\n";

    auto model = Model::build(desc, Subject{});
    StrideOptions so;
    so.speed = vm["speed"].as<double>();
    auto t0 = std::chrono::steady_clock::now();
    auto ref = makeStrideReference(*model, trials, so);
    out << "  reference stride built and made dynamically consistent: " << seconds(t0) << " s (once per speed and subject)\n";

    // One stride, repeated.
    std::vector<double> wall, per_interval;
    RunResult last;
    for (int k = 0; k < repeats; ++k) {
        last = runCmc(*model, *ref, CmcOptions());
        wall.push_back(last.wall_time);
        per_interval.push_back(last.control_time / std::max(1, last.control_intervals));
    }
    const double stride = ref->endTime() - ref->startTime();
    out << "  one stride (" << stride << " s simulated): " << median(wall) << " s wall, " << last.control_intervals
        << " control intervals, " << last.integrator_steps << " integrator steps, status " << last.status.text() << "\n";
    out << "  control interval (moment arms + static optimisation): " << 1e3 * median(per_interval) << " ms mean\n";

    // One compensated stride (docs/compensation.md): prediction with IPOPT, then tracking, for
    // gluteus medius 40% weaker on both sides, on one core.
    {
        const Scenario sc = Scenario::resolve("", {{"control.mode", "compensate"}, {"weakness.glute_med", "0.4"},
                                                   {"running.speed", std::to_string(so.speed)}});
        std::vector<double> total, predict;
        RunResult r;
        for (int k = 0; k < repeats; ++k) {
            const CmcOptions o = runOptions(*model, sc.settings());
            r = simulate(*model, std::shared_ptr<const ReferenceMotion>(ref.get(), [](const ReferenceMotion*) {}), o,
                         sc.settings());
            total.push_back(r.wall_time);
            predict.push_back(r.compensation.wall_time);
        }
        const CompensationResult& c = r.compensation;
        out << "  one compensated stride (gluteus medius 40% weaker): " << median(total) << " s wall (prediction "
            << median(predict) << " s + tracking), " << c.iterations << " IPOPT iterations, " << c.evaluations
            << " objective-and-constraint evaluations at " << 1e3 * c.evaluation_time << " ms, "
            << c.gradient_evaluations << " derivative evaluations at " << 1e3 * c.gradient_time << " ms; "
            << c.status << "\n";
    }

    // A 30-minute long run (docs/long_run.md) of the same runner, default epochs, one core: the
    // issue's target is at most 60 s.
    {
        const Scenario sc = Scenario::resolve("", {{"control.mode", "compensate"}, {"weakness.glute_med", "0.4"},
                                                   {"weakness.deep_core", "0.4"}, {"run.duration_min", "30"},
                                                   {"running.speed", std::to_string(so.speed)}});
        const auto t_run = std::chrono::steady_clock::now();
        const CmcOptions o = runOptions(*model, sc.settings());
        const RunResult r = simulate(*model, std::shared_ptr<const ReferenceMotion>(ref.get(), [](const ReferenceMotion*) {}),
                                     o, sc.settings());
        const LongRunResult& l = r.long_run;
        out << "  30-minute long run (gluteus medius and deep core 40% weaker, compensate, " << l.epochs << " epochs, "
            << l.epoch_time.size() << " strides): " << seconds(t_run) << " s wall, of which fatigue model "
            << l.fatigue_time << " s; " << l.status << "\n";
    }

    // Muscle force evaluation: paths, lengthening speeds and Hill forces of every muscle.
    SimTK::State s = model->defaultState();
    std::vector<double> q(model->coordinates().size()), qd(q.size()), qdd(q.size());
    ref->coordinates(0.1, q.data(), qd.data(), qdd.data());
    for (size_t c = 0; c < q.size(); ++c) model->setCoordinate(s, static_cast<int>(c), q[c]);
    model->system().realize(s, SimTK::Stage::Velocity);
    PathGeometry path;
    path.points.reserve(32);
    MuscleState ms;
    BodyKinematics bk;
    const int nm = static_cast<int>(model->muscles().size()), loops = 2000;
    t0 = std::chrono::steady_clock::now();
    double sink = 0;
    for (int l = 0; l < loops; ++l) {
        updBodyKinematics(*model, s, bk);   // as the force element does, once per evaluation
        for (int i = 0; i < nm; ++i) {
            calcPathGeometry(*model, s, i, path, &bk);
            calcRigidTendonMuscle(model->muscles()[i], path.length, calcLengtheningSpeed(*model, s, path, &bk), 0.5, 1.0, ms);
            sink += ms.force;
        }
    }
    const double all = seconds(t0) / loops;
    out << "  muscle forces (" << nm << " muscles: path, speed, Hill): " << 1e6 * all << " us per evaluation, "
        << 1e6 * all / nm << " us per muscle" << (sink < 0 ? " " : "") << "\n";

    // Scaling with the number of muscles.
    out << "  muscles   stride wall (s)   control interval (ms)\n";
    for (double f : {0.25, 0.5, 1.0, 2.0}) {
        const size_t n = static_cast<size_t>(f * desc.muscles.size());
        auto m = Model::build(withMuscleCount(desc, n), Subject{});
        auto r = makeStrideReference(*m, trials, so);
        std::vector<double> w, ci;
        for (int k = 0; k < repeats; ++k) {
            RunResult res = runCmc(*m, *r, CmcOptions());
            w.push_back(res.wall_time);
            ci.push_back(res.control_time / std::max(1, res.control_intervals));
        }
        out << "  " << std::setw(7) << n << "   " << std::setw(15) << median(w) << "   " << std::setw(21)
            << 1e3 * median(ci) << "\n";
    }
    return 0;
}

}  // namespace corestride
