// MPI for sweeps: ranks split the runs (run i to rank i mod size), ranks above 0 report their
// progress to rank 0, and rank 0 stitches once every rank is done. MPI is initialised only when
// the process was started by an MPI launcher (mpirun, srun), so that plain runs and tests never
// touch it. Built with OpenMPI when CMake finds it (IRAQSIM_WITH_MPI); without it, a launch by
// mpirun with more than one rank is refused rather than run twice.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace iraqsim::sweep {

class MpiWorld {
public:
    // Whether this build has MPI.
    static bool built_with_mpi();
    // The world size an MPI launcher announced in the environment (OpenMPI, PMI, PMIx), or 0.
    static int launched_size();
    // Whether this process should join an MPI world: started by a launcher, in a build with MPI.
    // Throws a UsageError when a launcher started several ranks of a build without MPI, each of
    // which would otherwise do the whole `work` (e.g. "sweep") on its own.
    static bool launched(const std::string& work);

    MpiWorld();  // MPI_Init_thread (serialized calls from any thread)
    ~MpiWorld();  // MPI_Finalize
    MpiWorld(const MpiWorld&) = delete;
    MpiWorld& operator=(const MpiWorld&) = delete;

    [[nodiscard]] int rank() const { return rank_; }
    [[nodiscard]] int size() const { return size_; }

    // Rank 0's value, everywhere.
    std::int64_t broadcast(std::int64_t value) const;
    // Each element summed over the ranks, everywhere (a rank contributes 0 where it has nothing).
    void sum(std::vector<double>& values) const;
    void barrier() const;
    // Ends every rank (a failed rank must not leave the others waiting).
    [[noreturn]] void abort(int exit_code) const;

    // Ranks above 0: `runs` more runs done (sent at most twice a second; safe from any thread).
    void report_runs(std::int64_t runs);
    // Ranks above 0: sends what is left to report and says this rank is done.
    void report_done();
    // Rank 0: receives the reports waiting (safe from any thread) and passes their runs on.
    void collect(const std::function<void(std::int64_t)>& on_runs);
    // Rank 0: collects until every other rank has said it is done.
    void wait_for_ranks(const std::function<void(std::int64_t)>& on_runs);

private:
    void send_locked(int tag);

    int rank_ = 0;
    int size_ = 1;
    std::mutex mutex_;  // MPI calls come from one thread at a time (MPI_THREAD_SERIALIZED)
    std::int64_t unsent_ = 0;
    int ranks_done_ = 0;
    std::chrono::steady_clock::time_point last_send_{};
};

}  // namespace iraqsim::sweep
