// Shared helpers of the tests: the shipped model (built once per test process) and lookup of
// a run's summary metrics.
#pragma once

#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "cmc.h"
#include "model.h"
#include "model_parser.h"
#include "paths.h"

namespace corestride::test {

// The built-in model for the default subject (75 kg, 1.75 m).
inline std::shared_ptr<const Model> shippedModelPtr() {
    static const std::shared_ptr<const Model> m = Model::build(readModelFile(defaultModelPath()), Subject{});
    return m;
}
inline const Model& shippedModel() { return *shippedModelPtr(); }

// A summary metric of a run by name; fails the test if absent.
inline double metric(const RunResult& r, const std::string& name) {
    for (const auto& [n, v] : r.metrics)
        if (n == name) return v;
    FAIL("no metric " << name);
    return 0;
}

}  // namespace corestride::test
