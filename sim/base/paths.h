// Where the shipped data live: models, scenarios (with the exercise library) and the analysis
// scripts. One lookup for the whole program. The root is, in order: $CORESTRIDE_DATA; the
// installed share directory next to the running program (<prefix>/share/corestride, as
// `cmake --install` lays it out); the source tree the program was built from.
#pragma once

#include <string>

namespace corestride {

// The data root in use (the directory holding models/, scenarios/ and analysis/).
std::string dataRoot();
std::string modelsDir();
std::string scenariosDir();
std::string analysisDir();

// The default model file (models/trunk_hip.model under the data root, or $CORESTRIDE_MODEL).
std::string defaultModelPath();

// The built-in running stride (models/running_stride.fourier under the data root).
std::string builtinStrideFile();

}  // namespace corestride
