#include "iraqsim/scenario/diagnostics.hpp"

#include <algorithm>

#include "iraqsim/core/error.hpp"

namespace iraqsim::scenario {

std::string Diagnostic::format() const {
    std::string out = origin.describe() + ": error: ";
    if (!key.empty()) out += key + ": ";
    return out + message;
}

void Diagnostics::error(Origin origin, std::string key, std::string message) {
    ++total_;
    if (items_.size() < cap) items_.push_back({std::move(origin), std::move(key), std::move(message)});
}

std::string Diagnostics::format() const {
    // In reading order: by file, then line, then column (--set arguments last, as given).
    std::vector<Diagnostic> sorted = items_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
        const bool a_set = a.origin.line <= 0, b_set = b.origin.line <= 0;
        if (a_set != b_set) return b_set;
        if (a.origin.file != b.origin.file) return a.origin.file < b.origin.file;
        if (a.origin.line != b.origin.line) return a.origin.line < b.origin.line;
        return a.origin.column < b.origin.column;
    });
    std::string out;
    for (const Diagnostic& d : sorted) out += d.format() + "\n";
    if (total_ > items_.size()) {
        out += "... and " + std::to_string(total_ - items_.size()) + " more error(s)\n";
    }
    return out;
}

void Diagnostics::throw_if_any() const {
    if (empty()) return;
    std::string message = format();
    if (!message.empty() && message.back() == '\n') message.pop_back();
    throw core::ScenarioError(std::to_string(total_) + " error(s) in the scenario:\n" + message);
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
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

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
    if (word.size() > 200) return {};
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const std::string& c : candidates) {
        const std::size_t d = edit_distance(word, c);
        if (d < best_distance) best_distance = d, best = c;
    }
    return best;
}

}  // namespace iraqsim::scenario
