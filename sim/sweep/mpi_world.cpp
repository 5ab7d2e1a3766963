#include "iraqsim/sweep/mpi_world.hpp"

#include <cstdlib>
#include <string>
#include <thread>

#include "iraqsim/core/error.hpp"

#ifdef IRAQSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace iraqsim::sweep {
namespace {

constexpr auto send_period = std::chrono::milliseconds(500);
[[maybe_unused]] constexpr int tag_runs = 1;
[[maybe_unused]] constexpr int tag_done = 2;

}  // namespace

int MpiWorld::launched_size() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
        if (const char* value = std::getenv(name); value != nullptr) return std::atoi(value);
    }
    return 0;
}

bool MpiWorld::launched(const std::string& work) {
    const int size = launched_size();
    if (size > 1 && !built_with_mpi()) {
        throw core::UsageError("started by an MPI launcher with " + std::to_string(size) +
                               " ranks, but this build has no MPI: each rank would run the whole " + work);
    }
    return size > 0 && built_with_mpi();
}

#ifdef IRAQSIM_HAVE_MPI

bool MpiWorld::built_with_mpi() { return true; }

MpiWorld::MpiWorld() {
    int provided = 0;
    if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS) {
        throw core::Error("MPI_Init_thread failed");
    }
    if (provided < MPI_THREAD_SERIALIZED) {
        MPI_Finalize();
        throw core::Error("this MPI library does not allow calls from several threads (MPI_THREAD_SERIALIZED)");
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiWorld::~MpiWorld() { MPI_Finalize(); }

std::int64_t MpiWorld::broadcast(std::int64_t value) const {
    MPI_Bcast(&value, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
    return value;
}

void MpiWorld::sum(std::vector<double>& values) const {
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}

void MpiWorld::barrier() const { MPI_Barrier(MPI_COMM_WORLD); }

void MpiWorld::abort(int exit_code) const {
    MPI_Abort(MPI_COMM_WORLD, exit_code);
    std::_Exit(exit_code);
}

void MpiWorld::send_locked(int tag) {
    std::int64_t runs = unsent_;
    MPI_Send(&runs, 1, MPI_INT64_T, 0, tag, MPI_COMM_WORLD);  // a few bytes: sent eagerly
    unsent_ = 0;
    last_send_ = std::chrono::steady_clock::now();
}

void MpiWorld::report_runs(std::int64_t runs) {
    std::lock_guard lock(mutex_);
    unsent_ += runs;
    if (std::chrono::steady_clock::now() - last_send_ >= send_period) send_locked(tag_runs);
}

void MpiWorld::report_done() {
    std::lock_guard lock(mutex_);
    send_locked(tag_done);
}

void MpiWorld::collect(const std::function<void(std::int64_t)>& on_runs) {
    std::lock_guard lock(mutex_);
    for (;;) {
        int waiting = 0;
        MPI_Status status;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &status);
        if (!waiting) return;
        std::int64_t runs = 0;
        MPI_Recv(&runs, 1, MPI_INT64_T, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (status.MPI_TAG == tag_done) ++ranks_done_;
        if (runs > 0 && on_runs) on_runs(runs);
    }
}

void MpiWorld::wait_for_ranks(const std::function<void(std::int64_t)>& on_runs) {
    for (;;) {
        collect(on_runs);
        {
            std::lock_guard lock(mutex_);
            if (ranks_done_ >= size_ - 1) return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

#else

bool MpiWorld::built_with_mpi() { return false; }
MpiWorld::MpiWorld() { throw core::UsageError("this build of iraqsim has no MPI (configure with IRAQSIM_WITH_MPI=ON and libopenmpi-dev)"); }
MpiWorld::~MpiWorld() = default;
std::int64_t MpiWorld::broadcast(std::int64_t value) const { return value; }
void MpiWorld::sum(std::vector<double>&) const {}
void MpiWorld::barrier() const {}
void MpiWorld::abort(int exit_code) const { std::_Exit(exit_code); }
void MpiWorld::send_locked(int) {}
void MpiWorld::report_runs(std::int64_t) {}
void MpiWorld::report_done() {}
void MpiWorld::collect(const std::function<void(std::int64_t)>&) {}
void MpiWorld::wait_for_ranks(const std::function<void(std::int64_t)>&) {}

#endif

}  // namespace iraqsim::sweep
