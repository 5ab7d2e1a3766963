#include "iraqsim/sweep/shard.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "iraqsim/core/error.hpp"

namespace iraqsim::sweep {
namespace fs = std::filesystem;
namespace h5 = output::h5;
namespace {

double now_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

[[noreturn]] void io_failure(const std::string& what, const fs::path& path) {
    throw core::IoError("cannot " + what + " " + path.string() + ": " + std::strerror(errno));
}

void sync_directory(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

// A dataset whose storage is allocated and filled when it is created, so that later writes touch
// raw data only.
h5::Handle create_fixed(hid_t file, const std::string& name, hid_t type, hid_t fill_type, const void* fill,
                        const std::vector<hsize_t>& shape) {
    h5::Handle space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose, name);
    h5::Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dataset creation properties");
    h5::check(H5Pset_layout(dcpl, H5D_CONTIGUOUS), "set contiguous layout", name);
    h5::check(H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY), "allocate early", name);
    h5::check(H5Pset_fill_time(dcpl, H5D_FILL_TIME_ALLOC), "fill on allocation", name);
    h5::check(H5Pset_fill_value(dcpl, fill_type, fill), "set fill value", name);
    h5::check(H5Pset_obj_track_times(dcpl, false), "disable timestamps", name);
    return h5::Handle(H5Dcreate2(file, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose, name);
}

// Writes `data` into the slab [slot, ...] of a dataset of shape [slots, rest...].
void write_slot(hid_t dataset, hid_t memory_type, hsize_t slot, const void* data, const std::string& name) {
    std::vector<hsize_t> shape = h5::dataset_shape(dataset);
    h5::Handle file_space(H5Dget_space(dataset), H5Sclose, name);
    std::vector<hsize_t> start(shape.size(), 0), count = shape;
    start[0] = slot;
    count[0] = 1;
    h5::check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
              "select slot", name);
    h5::Handle memory_space(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), H5Sclose, name);
    h5::check(H5Dwrite(dataset, memory_type, memory_space, file_space, H5P_DEFAULT, data), "write run", name);
}

}  // namespace

std::size_t ShardLayout::Variable::size() const {
    std::size_t n = 1;
    for (hsize_t d : shape) n *= static_cast<std::size_t>(d);
    return n;
}

ShardWriter::ShardWriter(const fs::path& path, ShardLayout layout, const std::string& fingerprint,
                         FailureInjection failure)
    : path_(path), layout_(std::move(layout)), failure_(failure) {
    fs::path journal = path_;
    journal.replace_extension(".journal");
    if (fs::exists(path_) || fs::exists(journal)) throw core::IoError("cannot create shard " + path_.string() + ": it exists");
    {
        file_ = h5::create_file(path_.string());
        h5::write_attribute(file_, "title", "iraqsim sweep shard (read through sweep.h5; docs/sweeps.md)");
        h5::write_attribute(file_, "sweep_fingerprint", fingerprint);
        const auto slots = static_cast<hsize_t>(layout_.runs.size());
        h5::write_array(file_, "run", H5T_STD_I64LE, H5T_NATIVE_INT64, {slots}, layout_.runs.data());
        const float nan_f = std::numeric_limits<float>::quiet_NaN();
        for (const ShardLayout::Variable& v : layout_.variables) {
            std::vector<hsize_t> shape{slots};
            shape.insert(shape.end(), v.shape.begin(), v.shape.end());
            datasets_.push_back(create_fixed(file_, v.name, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, &nan_f, shape));
        }
        const double nan_d = std::numeric_limits<double>::quiet_NaN();
        summary_ = create_fixed(file_, "summary", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &nan_d,
                                {slots, static_cast<hsize_t>(std::max<std::size_t>(1, layout_.metric_count))});
    }
    journal_fd_ = ::open(journal.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
    if (journal_fd_ < 0) io_failure("create journal", journal);
    commit();  // the layout is on disk before any run is
    sync_directory(path_.parent_path());
}

ShardWriter::~ShardWriter() {
    try {
        commit();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "iraqsim: warning: %s\n", e.what());
    }
    if (journal_fd_ >= 0) ::close(journal_fd_);
}

std::int64_t ShardWriter::write(std::size_t slot, std::span<const std::vector<float>> series,
                                std::span<const double> metrics) {
    std::lock_guard lock(mutex_);
    ++written_;
    for (std::size_t v = 0; v < datasets_.size(); ++v) {
        if (series[v].size() != layout_.variables[v].size()) {
            throw core::IoError("shard " + path_.string() + ": run data of the wrong size for " + layout_.variables[v].name);
        }
        write_slot(datasets_[v], H5T_NATIVE_FLOAT, slot, series[v].data(), layout_.variables[v].name);
        if (written_ == failure_.kill_mid_write_run) {
            h5::check(H5Fflush(file_, H5F_SCOPE_GLOBAL), "flush", path_.string());
            std::raise(SIGKILL);  // test-only: a kill in the middle of a run's write
        }
    }
    if (layout_.metric_count > 0) write_slot(summary_, H5T_NATIVE_DOUBLE, slot, metrics.data(), "summary");
    pending_.push_back(slot);
    std::int64_t committed = 0;
    if (written_ == failure_.kill_after_runs) {
        commit_locked();
        std::raise(SIGKILL);  // test-only: a kill between runs
    }
    if (now_seconds() - last_commit_ >= commit_period_seconds) committed = commit_locked();
    return committed;
}

std::int64_t ShardWriter::commit() {
    std::lock_guard lock(mutex_);
    return commit_locked();
}

std::int64_t ShardWriter::commit_locked() {
    last_commit_ = now_seconds();
    if (file_.id() < 0) return 0;
    h5::check(H5Fflush(file_, H5F_SCOPE_GLOBAL), "flush", path_.string());
    void* handle = nullptr;
    h5::check(H5Fget_vfd_handle(file_, H5P_DEFAULT, &handle), "get the file descriptor of", path_.string());
    if (::fsync(*static_cast<int*>(handle)) != 0) io_failure("sync", path_);
    if (pending_.empty()) return 0;
    std::string lines;
    for (std::size_t slot : pending_) {
        lines += std::to_string(layout_.runs[slot]) + " " + std::to_string(slot) + "\n";
    }
    for (std::size_t done = 0; done < lines.size();) {
        const ssize_t n = ::write(journal_fd_, lines.data() + done, lines.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) io_failure("append to the journal of", path_);
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(journal_fd_) != 0) io_failure("sync the journal of", path_);
    const auto count = static_cast<std::int64_t>(pending_.size());
    pending_.clear();
    return count;
}

std::vector<Journal> read_journals(const fs::path& shard_dir) {
    std::vector<Journal> journals;
    std::error_code ec;
    if (!fs::is_directory(shard_dir, ec)) return journals;
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(shard_dir)) {
        if (entry.path().extension() == ".journal") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    for (const fs::path& path : paths) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream buffer;
        buffer << in.rdbuf();
        const std::string text = buffer.str();
        Journal journal;
        journal.shard = path;
        journal.shard.replace_extension(".h5");
        std::size_t start = 0;
        for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
            // A malformed line (a torn write) is skipped: its run is simply not complete.
            const char* first = text.data() + start;
            const char* last = text.data() + end;
            std::int64_t run = -1, slot = -1;
            const auto a = std::from_chars(first, last, run);
            if (a.ec != std::errc{} || a.ptr == last || *a.ptr != ' ') continue;
            const auto b = std::from_chars(a.ptr + 1, last, slot);
            if (b.ec == std::errc{} && b.ptr == last && run >= 0 && slot >= 0) journal.entries.push_back({run, slot});
        }
        journals.push_back(std::move(journal));
    }
    return journals;
}

std::string shard_name(int session, std::int64_t worker, std::int64_t workers) {
    char buffer[96];
    std::snprintf(buffer, sizeof buffer, "s%03d-w%04lldof%04lld.h5", session, static_cast<long long>(worker),
                  static_cast<long long>(workers));
    return buffer;
}

int next_session(const fs::path& shard_dir) {
    int highest = 0;
    std::error_code ec;
    if (!fs::is_directory(shard_dir, ec)) return 1;
    for (const auto& entry : fs::directory_iterator(shard_dir)) {
        int session = 0;
        if (std::sscanf(entry.path().filename().c_str(), "s%d-", &session) == 1) highest = std::max(highest, session);
    }
    return highest + 1;
}

}  // namespace iraqsim::sweep
