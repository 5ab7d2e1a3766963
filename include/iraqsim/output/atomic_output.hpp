// Results appear whole or not at all: a file is written under a temporary name in the target's
// directory and renamed over the target only when complete. An existing result is never replaced
// unless asked; the temporary file is removed on any failure.
#pragma once

#include <filesystem>

namespace iraqsim::output {

// Throws core::IoError unless `target` can be created: its directory exists and is writable,
// and the target does not exist (or `force` is set and it is a regular file). Call before the
// computing starts, so a long run never ends on an unwritable path.
void check_output_path(const std::filesystem::path& target, bool force);

class AtomicOutput {
public:
    AtomicOutput(std::filesystem::path target, bool force);
    ~AtomicOutput();
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;

    [[nodiscard]] const std::filesystem::path& temporary_path() const { return temporary_; }
    // Syncs the temporary file to disk and renames it over the target.
    void commit();

private:
    std::filesystem::path target_;
    std::filesystem::path temporary_;
    bool force_;
    bool committed_ = false;
};

}  // namespace iraqsim::output
