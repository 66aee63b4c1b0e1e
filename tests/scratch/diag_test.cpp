#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include "run.h"
#include "scenario.h"
#include "stride_prediction.h"
using namespace corestride;
static void one(const std::map<std::string,std::string>& keys, double w) {
    Settings st = Scenario::resolve("", keys).settings();
    ScenarioRun run = runScenarioSetup(st);
    CmcOptions opt = runOptions(*run.model, st);
    PredictionOptions po; po.deviation_weight = w;
    if (getenv("NODES")) po.nodes = atoi(getenv("NODES"));
    if (getenv("RMAX")) po.reserve_max = atof(getenv("RMAX"));
    if (getenv("ITER")) po.max_iterations = atoi(getenv("ITER"));
    StridePrediction p = predictStride(*run.model, *run.reference, opt, po);
    printf("w=%g status=%s it=%d evals=%d grads=%d wall=%.2f eval=%.4f grad=%.3f effort %.4f (measured %.4f) res %.4g resid %.4g corr %.4g dev %.4g J %.4g\n",
      w, p.status.c_str(), p.iterations, p.evaluations, p.gradient_evaluations, p.wall_time, p.evaluation_time, p.gradient_time,
      p.effort, p.effort_measured, p.reserves, p.residuals, p.correction, p.deviation_cost, p.objective);
    const auto& d = p.deviation;
    for (size_t j = 0; j < d.coords.size(); ++j) {
        double mx = 0; for (int k = 0; k < 100; ++k) mx = std::max(mx, std::abs(d.value(j, d.t0 + d.period * k / 100)));
        const auto& c = run.model->coordinates()[d.coords[j]];
        printf("  %-18s peak %.2f %s\n", c.name.c_str(), mx * (c.rotational ? 57.2958 : 100), c.rotational ? "deg" : "cm");
    }
}
TEST_CASE("diag predict", "[.diag]") {
    double w = getenv("W") ? atof(getenv("W")) : 1.0;
    std::map<std::string,std::string> keys;
    if (getenv("GM")) keys["weakness.glute_med"] = getenv("GM");
    if (getenv("KEY")) keys[getenv("KEY")] = getenv("VAL");
    one(keys, w);
}
TEST_CASE("diag grad", "[.diag]") {
    std::map<std::string,std::string> keys; keys["weakness.glute_med"] = "0.4";
    Settings st = Scenario::resolve("", keys).settings();
    ScenarioRun run = runScenarioSetup(st);
    CmcOptions opt = runOptions(*run.model, st);
    PredictionOptions po; po.nodes = getenv("NODES") ? atoi(getenv("NODES")) : 10;
    const int nv = 19 * 7;
    Eigen::VectorXd x = Eigen::VectorXd::Zero(nv);
    for (int i = 0; i < nv; ++i) x[i] = (getenv("AMP") ? atof(getenv("AMP")) : 0.3) * std::sin(1.7 * i);
    double h = getenv("H") ? atof(getenv("H")) : 1e-4;
    std::vector<Eigen::VectorXd> pts{x};
    std::vector<int> idx{0, 8, 15, 22, 37, 64, 71, 92, 100, 127};
    for (int i : idx) { Eigen::VectorXd a = x, b = x; a[i] += h; b[i] -= h; pts.push_back(a); pts.push_back(b); }
    auto ev = evaluatePrediction(*run.model, *run.reference, opt, po, pts, true);
    printf("ok %d f %.6f ncons %d effort %g res %g resid %g corr %g dev %g\n", ev[0].ok, ev[0].f, (int)ev[0].g.size(), ev[0].effort, ev[0].reserves, ev[0].residuals, ev[0].correction, ev[0].deviation_cost);
    for (size_t k = 0; k < idx.size(); ++k) {
        int i = idx[k];
        double fd = (ev[1+2*k].f - ev[2+2*k].f) / (2*h);
        double jfd = ev[0].g.size() ? (ev[1+2*k].g - ev[2+2*k].g).cwiseAbs().maxCoeff() / (2*h) : 0;
        Eigen::VectorXd jc = ev[0].g.size() ? ((ev[1+2*k].g - ev[2+2*k].g) / (2*h) - ev[0].jac_g.col(i)).eval() : Eigen::VectorXd();
        printf("i=%3d grad %.6g fd %.6g | jac maxabs %.4g err %.4g\n", i, ev[0].grad_f[i], fd, jfd, jc.size() ? jc.cwiseAbs().maxCoeff() : 0.0);
    }
}
