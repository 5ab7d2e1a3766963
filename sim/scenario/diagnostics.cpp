#include "iraqsim/scenario/diagnostics.hpp"

#include <algorithm>

#include "iraqsim/core/error.hpp"

namespace iraqsim::scenario {

namespace {

constexpr std::size_t max_shown_key = 120;  // a hostile 1 MiB key must not flood the terminal

std::string shortened(const std::string& text) {
    if (text.size() <= max_shown_key) return text;
    return text.substr(0, max_shown_key) + "... (" + std::to_string(text.size()) + " characters)";
}

}  // namespace

std::string Diagnostic::format() const {
    std::string out = shortened(origin.describe()) + ": error: ";
    if (!key.empty()) out += shortened(key) + ": ";
    return out + message;
}

// Reading order: files in the order they were first reported, then line, then column;
// --set arguments come after every file, in the order given.
bool Diagnostics::before(const Diagnostic& a, const Diagnostic& b) {
    if (a.file_rank != b.file_rank) return a.file_rank < b.file_rank;
    if (a.file_rank == set_rank) return false;  // --set arguments keep the order given
    if (a.origin.line != b.origin.line) return a.origin.line < b.origin.line;
    return a.origin.column < b.origin.column;
}

void Diagnostics::error(Origin origin, std::string key, std::string message) {
    ++total_;
    const int rank = origin.file.starts_with("--set")
                         ? set_rank
                         : file_rank_.emplace(origin.file, static_cast<int>(file_rank_.size())).first->second;
    Diagnostic d{std::move(origin), std::move(key), std::move(message), rank};
    if (items_.size() < cap) {
        items_.push_back(std::move(d));
        if (items_.size() == cap) latest_ = static_cast<std::size_t>(std::max_element(items_.begin(), items_.end(), before) - items_.begin());
        return;
    }
    // Keep the earliest `cap` in reading order, whatever order the parser visits keys in.
    if (!before(d, items_[latest_])) return;
    items_[latest_] = std::move(d);
    latest_ = static_cast<std::size_t>(std::max_element(items_.begin(), items_.end(), before) - items_.begin());
}

std::string Diagnostics::format() const {
    std::vector<Diagnostic> sorted = items_;
    std::stable_sort(sorted.begin(), sorted.end(), before);
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
