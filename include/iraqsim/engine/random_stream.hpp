// Keyed random streams: every draw is a pure function of (seed, replicate, week, purpose, entity,
// draw index), so results cannot depend on thread count, scheduling or the order of entities.
// Philox4x64-10 (Salmon et al., SC'11), a counter-based generator from Random123.
#pragma once

#include <Random123/philox.h>

#include <cstdint>

namespace iraqsim::engine {

// One value per process that draws; never reuse a value for a second purpose.
enum class Purpose : std::uint64_t {
    loyalty_noise = 1,
    violence = 2,     // incident counts and sizes, per province
    battles = 3,      // pitched battles, per province
    targeting = 4,    // reserved (targeting draws come from the violence stream); never reuse
    incident_log = 5, // reserved (logged incidents now name their cell's faction without a draw); never reuse
    citizens = 6,        // citizen agents' weekly draws (agents/citizen_step.cpp): entity = agent / 4
    citizen_traits = 7,  // citizen agents' traits and initial state (agents/citizen_population.cpp): entity = agent
    accord = 8,       // an accord's weekly collapse, per accord (entity: a hash of the event id)
    assassination = 9, // an assassination campaign's killings, per campaign and province
    epstein = 100,    // the Epstein validation models (agents/epstein.cpp): sub-purpose in the entity's top byte
    cells = 10,       // coalescence and fragmentation of each faction's cells (model/cells.cpp), per faction
    calibration = 0xCA1, // ABC-SMC proposals and resampling (calibrate/abc_smc.cpp)
};

class RandomStream {
public:
    RandomStream(std::uint64_t seed, std::uint64_t replicate, std::uint64_t week, Purpose purpose,
                 std::uint64_t entity)
        : key_{{seed, replicate}}, counter_{{week, static_cast<std::uint64_t>(purpose), entity, 0}} {}

    std::uint64_t next_u64() {
        if (used_ == 4) refill();
        return block_.v[used_++];
    }

    // Uniform on the open interval (0, 1), 53 bits.
    double uniform() { return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53; }

    // Standard normal, by inversion of the CDF (one uniform per variate).
    double normal();

    // Poisson count with the given mean: exact inversion below a mean of 30, and above it the
    // normal approximation with continuity correction (error in the tails only, where counts are
    // hundreds a week). Deterministic in the draw index, so keyed streams stay reproducible.
    std::int64_t poisson(double mean);

    // Pareto (power-law) size on [x_min, x_max]: P(X > x) ~ x^-(alpha - 1), truncated above.
    double pareto(double x_min, double alpha, double x_max);

private:
    void refill() {
        block_ = philox_(counter_, key_);
        ++counter_.v[3];
        used_ = 0;
    }

    r123::Philox4x64 philox_;
    r123::Philox4x64::key_type key_;
    r123::Philox4x64::ctr_type counter_;
    r123::Philox4x64::ctr_type block_{};
    unsigned used_ = 4;
};

// The truncated Pareto law of RandomStream::pareto with its constants computed once, for a hot
// loop drawing many sizes from the same law (the same draws, bit for bit).
class TruncatedPareto {
public:
    TruncatedPareto(double x_min, double alpha, double x_max);
    double operator()(RandomStream& rng) const;

private:
    double x_min_, tail_, exponent_;
};

}  // namespace iraqsim::engine
