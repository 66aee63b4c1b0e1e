// Reading model files (docs/model_format.md) into a ModelDescription.
#pragma once

#include <string>

#include "model_description.h"

namespace corestride {

// Reads and validates the model file at `path`. Throws UserError naming the file, the line
// and the field for any malformed record, unknown reference or physically invalid value.
ModelDescription readModelFile(const std::string& path);

// The same for text already in memory; `file` is only used in messages.
ModelDescription parseModelText(const std::string& text, const std::string& file);

// Cross-record checks (unknown bodies and groups, duplicate names, coupling ratios that do
// not sum to one, ...). parseModelText() calls it; exposed for descriptions built in code.
void validateModelDescription(const ModelDescription& desc);

}  // namespace corestride
