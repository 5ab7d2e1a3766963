#include "progress.hpp"

#include <unistd.h>

namespace iraqsim::cli {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto quiet_period = std::chrono::seconds(1);      // short work shows nothing
constexpr auto redraw_period = std::chrono::milliseconds(200);
constexpr auto line_period = std::chrono::seconds(30);     // plain lines when not on a terminal
constexpr int bar_width = 30;

std::string format_duration(double seconds) {
    char buffer[32];
    const auto s = static_cast<long long>(seconds + 0.5);
    if (s >= 3600) {
        std::snprintf(buffer, sizeof buffer, "%lldh%02lldm", s / 3600, s / 60 % 60);
    } else {
        std::snprintf(buffer, sizeof buffer, "%lldm%02llds", s / 60, s % 60);
    }
    return buffer;
}

}  // namespace

Progress::Progress(std::string what, std::int64_t total, bool quiet)
    : what_(std::move(what)), total_(total), quiet_(quiet), terminal_(::isatty(STDERR_FILENO) == 1) {}

Progress::~Progress() {
    if (drawn_ && terminal_) std::fputc('\n', stderr);
}

void Progress::advance() {
    std::lock_guard lock(mutex_);
    ++done_;
    if (quiet_ || total_ <= 0) return;
    const auto now = Clock::now();
    if (now - start_ < quiet_period && done_ < total_) return;
    if (now - start_ < quiet_period && !drawn_) return;  // finished quickly: stay silent
    const int decile = static_cast<int>(10 * done_ / total_);
    const bool due = terminal_ ? now - last_draw_ >= redraw_period : (decile > last_decile_ || now - last_draw_ >= line_period);
    if (due || done_ == total_) {
        draw(done_, done_ == total_);
        last_draw_ = now;
        last_decile_ = decile;
    }
}

void Progress::draw(std::int64_t done, bool final) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    const double fraction = static_cast<double>(done) / static_cast<double>(total_);
    const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
    const std::string timing = final ? "in " + format_duration(elapsed) : "ETA " + format_duration(eta);
    if (terminal_) {
        const int filled = static_cast<int>(fraction * bar_width);
        std::fprintf(stderr, "\r%s [%s%s] %lld/%lld %3.0f%% %s  ", what_.c_str(), std::string(static_cast<std::size_t>(filled), '#').c_str(),
                     std::string(static_cast<std::size_t>(bar_width - filled), '.').c_str(), static_cast<long long>(done),
                     static_cast<long long>(total_), 100 * fraction, timing.c_str());
    } else {
        std::fprintf(stderr, "%s: %lld/%lld (%.0f%%), %s\n", what_.c_str(), static_cast<long long>(done),
                     static_cast<long long>(total_), 100 * fraction, timing.c_str());
    }
    std::fflush(stderr);
    drawn_ = true;
}

}  // namespace iraqsim::cli
