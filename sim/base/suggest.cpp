#include "suggest.h"

#include <algorithm>
#include <cctype>

namespace corestride {

namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::vector<std::string> closestNames(const std::string& wrong, const std::vector<std::string>& valid, std::size_t max) {
    const std::string w = lower(wrong);
    struct Candidate {
        std::size_t rank;   // 0: contains or is contained, then 1 + edit distance
        std::size_t order;
        const std::string* name;
    };
    std::vector<Candidate> found;
    for (std::size_t i = 0; i < valid.size(); ++i) {
        const std::string v = lower(valid[i]);
        if (w.empty() || v.empty()) continue;
        if (v.find(w) != std::string::npos || w.find(v) != std::string::npos) {
            found.push_back({0, i, &valid[i]});
            continue;
        }
        const std::size_t d = editDistance(w, v);
        if (d <= std::max<std::size_t>(1, std::max(w.size(), v.size()) / 3)) found.push_back({1 + d, i, &valid[i]});
    }
    std::stable_sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
        return a.rank != b.rank ? a.rank < b.rank : a.order < b.order;
    });
    std::vector<std::string> out;
    for (std::size_t i = 0; i < found.size() && out.size() < max; ++i) out.push_back(*found[i].name);
    return out;
}

std::string didYouMean(const std::string& wrong, const std::vector<std::string>& valid, std::size_t max) {
    const std::vector<std::string> names = closestNames(wrong, valid, max);
    if (names.empty()) return "";
    std::string text = " (did you mean ";
    for (std::size_t i = 0; i < names.size(); ++i)
        text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
    return text + "?)";
}

}  // namespace corestride
