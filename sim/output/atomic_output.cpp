#include "iraqsim/output/atomic_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "iraqsim/core/error.hpp"

namespace iraqsim::output {
namespace fs = std::filesystem;
namespace {

fs::path directory_of(const fs::path& target) {
    return target.has_parent_path() ? target.parent_path() : fs::path(".");
}

void sync_path(const fs::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

void check_output_path(const fs::path& target, bool force) {
    const fs::path dir = directory_of(target);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        throw core::IoError("cannot write " + target.string() + ": directory " + dir.string() + " does not exist");
    }
    if (::access(dir.c_str(), W_OK | X_OK) != 0) {
        throw core::IoError("cannot write " + target.string() + ": directory " + dir.string() + " is not writable");
    }
    if (fs::exists(target, ec)) {
        if (!force) {
            throw core::IoError("cannot write " + target.string() +
                                ": the file exists (use --force to overwrite it)");
        }
        if (!fs::is_regular_file(target, ec)) {
            throw core::IoError("cannot write " + target.string() + ": it exists and is not a regular file");
        }
    }
}

AtomicOutput::AtomicOutput(fs::path target, bool force) : target_(std::move(target)), force_(force) {
    check_output_path(target_, force_);
    // Hidden, and named after the process and host, so concurrent runs never share one (workers on
    // a cluster may write the same file of a shared directory).
    std::string name(".");
    name.append(target_.filename().string()).append(".partial-").append(std::to_string(::getpid()));
    name.append("-").append(std::to_string(::gethostid()));
    temporary_ = directory_of(target_) / name;
    std::error_code ec;
    fs::remove(temporary_, ec);
}

AtomicOutput::~AtomicOutput() {
    if (!committed_) {
        std::error_code ec;
        fs::remove(temporary_, ec);
    }
}

void AtomicOutput::commit() {
    check_output_path(target_, force_);  // the target may have appeared while we computed
    sync_path(temporary_, O_RDONLY);
    std::error_code ec;
    fs::rename(temporary_, target_, ec);
    if (ec) throw core::IoError("cannot rename " + temporary_.string() + " to " + target_.string() + ": " + ec.message());
    committed_ = true;
    sync_path(directory_of(target_), O_RDONLY | O_DIRECTORY);
}

void write_stream_atomically(const fs::path& target, bool force, const std::function<void(std::ostream&)>& write) {
    AtomicOutput out(target, force);
    {
        std::ofstream stream(out.temporary_path(), std::ios::binary | std::ios::trunc);
        if (!stream) throw core::IoError("cannot write " + target.string() + ": " + std::strerror(errno));
        write(stream);
        stream.close();
        if (!stream) throw core::IoError("cannot write " + target.string() + " (is the disk full?)");
    }
    out.commit();
}

void write_text_atomically(const fs::path& target, std::string_view text, bool force) {
    write_stream_atomically(target, force, [&](std::ostream& stream) { stream.write(text.data(), static_cast<std::streamsize>(text.size())); });
}

}  // namespace iraqsim::output
