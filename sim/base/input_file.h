// Reading an input file whole, for every reader of the program's text inputs (scenarios,
// sweep specs, models, strides, exercises, training parameters, motion files): only regular
// files, and at most a bounded size. A FIFO given as a model used to block forever and
// /dev/zero as a scenario read until memory ran out; a directory ran the defaults.
#pragma once

#include <cstddef>
#include <string>

namespace corestride {

// Largest input file read (bytes): far above any real model, scenario or motion file.
constexpr std::size_t kMaxInputBytes = std::size_t(256) << 20;

// The contents of `path`, without a leading UTF-8 byte-order mark. Throws UserError naming the path and `what` (e.g. "model file")
// when it cannot be opened, is a directory or not a regular file (FIFO, device, socket), or
// holds more than max_bytes.
std::string readInputFile(const std::string& path, const std::string& what, std::size_t max_bytes = kMaxInputBytes);

// The same checks without reading (for readers that open the file themselves, e.g. HDF5).
void checkInputFile(const std::string& path, const std::string& what, std::size_t max_bytes = kMaxInputBytes);

}  // namespace corestride
