// "Did you mean ...?" for a name the user mistyped: the valid names closest to it.
#pragma once

#include <string>
#include <vector>

namespace corestride {

// Up to `max` names of `valid` closest to `wrong`, best first: names that contain it or that it
// contains, then by edit distance (Levenshtein, case-insensitive), keeping only those within
// about a third of the name's length. Ties keep the order of `valid`, so a caller can list the
// names it prefers first.
std::vector<std::string> closestNames(const std::string& wrong, const std::vector<std::string>& valid,
                                      std::size_t max = 3);

// " (did you mean a, b or c?)", or "" when nothing is close.
std::string didYouMean(const std::string& wrong, const std::vector<std::string>& valid, std::size_t max = 3);

}  // namespace corestride
