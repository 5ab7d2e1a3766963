// What the model's random machinery costs alone, per draw: Philox words, uniforms, normals, Poisson
// counts at the baseline's mix of means, and the cell process (a step, and the pick of an
// incident's cell). Times these draws in isolation, as the model makes them (a keyed stream per
// process and place, a few dozen draws each); multiplied by the draws a replicate makes
// (docs/sweeps.md, "What a replicate costs"), they are the floor any design with the same draws
// pays. Prints the figures; asserts nothing.
#include "bench_args.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>

#include "iraqsim/engine/random_stream.hpp"
#include "iraqsim/model/cells.hpp"

using namespace iraqsim;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int draws_per_stream = 32;

// Nanoseconds per draw of `draw(rng)` over `streams` streams of draws_per_stream draws; `sink`
// keeps the compiler from dropping the work.
template <typename Draw>
double ns_per_draw(long long streams, Draw draw, double& sink) {
    double best = 1e300;
    for (int round = 0; round < 3; ++round) {  // best of three: the machine is shared
        const auto t = Clock::now();
        for (long long s = 0; s < streams; ++s) {
            engine::RandomStream rng(1, static_cast<std::uint64_t>(round), static_cast<std::uint64_t>(s), engine::Purpose::violence, 3);
            for (int i = 0; i < draws_per_stream; ++i) sink += draw(rng);
        }
        const double ns = std::chrono::duration<double, std::nano>(Clock::now() - t).count();
        best = std::min(best, ns / static_cast<double>(streams * draws_per_stream));
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    const long long streams = bench::count_argument(
        argc, argv,
        "usage: bench_draws [STREAMS]\n"
        "Times the model's random draws alone: Philox words, uniforms, normals, Poisson counts at the\n"
        "baseline's mix of means, and the cell process's steps and picks (STREAMS streams of 32 draws\n"
        "each, default 100000; best of 3).\n",
        100000);
    double sink = 0;
    std::printf("per draw, best of 3 over %lld streams of %d draws:\n", streams, draws_per_stream);
    std::printf("  Philox4x64-10 word (next_u64)        %6.2f ns\n",
                ns_per_draw(streams, [](engine::RandomStream& r) { return static_cast<double>(r.next_u64() & 1U); }, sink));
    std::printf("  uniform                              %6.2f ns\n",
                ns_per_draw(streams, [](engine::RandomStream& r) { return r.uniform(); }, sink));
    std::printf("  normal (inverse CDF)                 %6.2f ns\n",
                ns_per_draw(streams, [](engine::RandomStream& r) { return r.normal(); }, sink));
    // The means the baseline's Poisson draws have (seed 1, one replicate, counted on 2026-11-28):
    // a representative mean per bin, repeated as often as the bin's share of 74,858 draws.
    struct Bin {
        double mean;
        int weight;
    };
    constexpr std::array<Bin, 8> bins{{{0.0, 97}, {0.005, 25}, {0.05, 87}, {0.3, 137}, {0.75, 61}, {2.5, 176}, {12.0, 136}, {60.0, 29}}};
    std::array<double, 748> means{};
    std::size_t n = 0;
    for (const Bin& b : bins)
        for (int i = 0; i < b.weight; ++i) means[n++] = b.mean;
    std::size_t next = 0;
    std::printf("  Poisson, the baseline's mix of means %6.2f ns\n", ns_per_draw(streams, [&](engine::RandomStream& r) {
                    const double mean = means[next];
                    next = (next + 97) % means.size();  // a stride prime to the size: bins interleave
                    return static_cast<double>(r.poisson(mean));
                }, sink));
    for (const double mean : {0.3, 3.0, 12.0}) {
        std::printf("  Poisson, mean %-5g                  %6.2f ns\n", mean,
                    ns_per_draw(streams, [mean](engine::RandomStream& r) { return static_cast<double>(r.poisson(mean)); }, sink));
    }
    // The cells of one faction as the baseline starts them (settled: units 500, fragmentation 0.1).
    const model::CellParams cell_params;
    Eigen::ArrayXXd cells = model::settled_cells(1, cell_params);
    model::CellProcess process(cells.col(0));
    std::printf("  cell process step                    %6.2f ns  (%lld distinct sizes at the start)\n",
                ns_per_draw(streams, [&](engine::RandomStream& r) {
                    process.step(r, cell_params.fragmentation);
                    return static_cast<double>(process.cells());
                }, sink),
                static_cast<long long>((cells.col(0) > 0).count() / 2));
    const model::CellCensus census(cells.col(0));
    std::printf("  an incident's cell (pick_by_cell)    %6.2f ns\n",
                ns_per_draw(streams, [&](engine::RandomStream& r) { return static_cast<double>(census.pick_by_cell(r)); }, sink));
    std::printf("(checksum %g)\n", sink);
    return 0;
}
