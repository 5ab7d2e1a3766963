// Results appear whole or not at all: a file is written under a temporary name in the target's
// directory and renamed over the target only when complete. An existing result is never replaced
// unless asked; the temporary file is removed on any failure.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string_view>

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

// Every text file iraqsim writes goes through one of these two: the text lands in a temporary file
// beside `target`, is synced, and is renamed over it, so readers (and a resumed run) see the old
// file or the new one, never a part. Throws core::IoError naming `target` (and why) on any failure;
// `force` as for check_output_path. Concurrent writers of the same text may race: the last rename wins.
void write_text_atomically(const std::filesystem::path& target, std::string_view text, bool force);
// The same for text produced into a stream, when it is too large to hold (a CSV export).
void write_stream_atomically(const std::filesystem::path& target, bool force,
                             const std::function<void(std::ostream&)>& write);

}  // namespace iraqsim::output
