// Benchmark of the static-optimisation QP: median time per solve of ActiveSetQP (cold and
// warm-started) against the Simbody/IPOPT reference, on a CMC-like sequence of muscle-shaped
// problems (19 coordinates, torques varying over a 0.7 s stride at 10 ms intervals).
// Usage: corestride_qp_bench [number of intervals, default 200]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "qp_problems.h"
#include "qp_reference.h"
#include "qp_solver.h"

using namespace corestride;

namespace {

constexpr int kCoords = 19;

// The torques of interval k: each coordinate's torque swings over the stride.
void setInterval(const BoxQP& base, int k, BoxQP& qp) {
    const double t = 0.01 * k;
    for (int d = 0; d < kCoords; ++d)
        qp.b[d] = base.b[d] * (0.6 + 0.5 * std::sin(2 * M_PI * t / 0.7 + 0.4 * d));
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct Row {
    double median_us = 0, mean_iterations = 0;
    int failures = 0;
};

template <class Solve>
Row run(const BoxQP& base, int intervals, Solve solve) {
    BoxQP qp = base;
    std::vector<double> times;
    Row row;
    for (int k = 0; k < intervals; ++k) {
        setInterval(base, k, qp);
        const auto start = std::chrono::steady_clock::now();
        const QPResult& r = solve(qp);
        const auto stop = std::chrono::steady_clock::now();
        times.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
        row.mean_iterations += r.iterations;
        if (r.status != QPStatus::Optimal) ++row.failures;
    }
    row.median_us = median(times);
    row.mean_iterations /= intervals;
    return row;
}

}  // namespace

int main(int argc, char** argv) {
    const int intervals = (argc > 1) ? std::max(1, std::atoi(argv[1])) : 200;
    const int ref_intervals = std::max(1, intervals / 10);
    std::printf("QP solve, m = %d, %d intervals (reference: %d)\n", kCoords, intervals, ref_intervals);
    std::printf("%5s  %-14s %-5s %12s %12s %9s\n", "n", "solver", "start", "median [us]", "mean iter.", "failures");
    for (int n_muscles : {101, 201}) {
        const BoxQP base = test::muscleShapedProblem(42, n_muscles, true);
        const int n = static_cast<int>(base.h.size());
        ActiveSetQP solver(n, kCoords);
        const Row cold = run(base, intervals, [&](const BoxQP& qp) -> const QPResult& { return solver.solve(qp, false); });
        solver.clearWarmStart();
        const Row warm = run(base, intervals, [&](const BoxQP& qp) -> const QPResult& { return solver.solve(qp, true); });
        QPResult last;
        const Row ref_cold = run(base, ref_intervals, [&](const BoxQP& qp) -> const QPResult& {
            last = solveReferenceQP(qp);
            return last;
        });
        ReferenceQPOptions options;
        const Row ref_warm = run(base, ref_intervals, [&](const BoxQP& qp) -> const QPResult& {
            last = solveReferenceQP(qp, options);
            options.initial_guess = last.x;
            return last;
        });
        auto print = [&](const char* name, const char* start, const Row& r) {
            std::printf("%5d  %-14s %-5s %12.1f %12.1f %9d\n", n, name, start, r.median_us, r.mean_iterations, r.failures);
        };
        print("active-set", "cold", cold);
        print("active-set", "warm", warm);
        print("simbody-ipopt", "cold", ref_cold);
        print("simbody-ipopt", "warm", ref_warm);
    }
    return 0;
}
