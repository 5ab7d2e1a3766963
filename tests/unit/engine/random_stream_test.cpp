#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "iraqsim/core/date.hpp"
#include "iraqsim/engine/random_stream.hpp"
#include "iraqsim/engine/step_context.hpp"

using iraqsim::engine::Purpose;
using iraqsim::engine::RandomStream;

namespace {

constexpr std::size_t prefix_length = 8;

std::array<std::uint64_t, prefix_length> prefix(RandomStream stream) {
    std::array<std::uint64_t, prefix_length> out{};
    for (auto& v : out) v = stream.next_u64();
    return out;
}

// A purpose value the enum does not name yet: the stream must still key on it.
constexpr Purpose other_purpose = static_cast<Purpose>(2);

}  // namespace

TEST_CASE("a stream is a pure function of its key", "[engine][random]") {
    const auto a = prefix(RandomStream(7, 3, 100, Purpose::loyalty_noise, 42));
    const auto b = prefix(RandomStream(7, 3, 100, Purpose::loyalty_noise, 42));
    CHECK(a == b);

    RandomStream x(7, 3, 100, Purpose::loyalty_noise, 42);
    RandomStream y(7, 3, 100, Purpose::loyalty_noise, 42);
    for (int i = 0; i < 1000; ++i) {
        const double nx = x.normal();
        const double ny = y.normal();
        REQUIRE(nx == ny);
        const double ux = x.uniform();
        const double uy = y.uniform();
        REQUIRE(ux == uy);
    }
}

TEST_CASE("changing any one part of the key changes the stream", "[engine][random]") {
    const auto base = prefix(RandomStream(7, 3, 100, Purpose::loyalty_noise, 42));
    CHECK(prefix(RandomStream(8, 3, 100, Purpose::loyalty_noise, 42)) != base);  // seed
    CHECK(prefix(RandomStream(7, 4, 100, Purpose::loyalty_noise, 42)) != base);  // replicate
    CHECK(prefix(RandomStream(7, 3, 101, Purpose::loyalty_noise, 42)) != base);  // week
    CHECK(prefix(RandomStream(7, 3, 100, other_purpose, 42)) != base);           // purpose
    CHECK(prefix(RandomStream(7, 3, 100, Purpose::loyalty_noise, 43)) != base);  // entity
    // Swapping seed and replicate is a different key too.
    CHECK(prefix(RandomStream(3, 7, 100, Purpose::loyalty_noise, 42)) != base);
}

TEST_CASE("successive draws of one stream differ", "[engine][random]") {
    const auto values = prefix(RandomStream(1, 0, 0, Purpose::loyalty_noise, 0));
    for (std::size_t i = 0; i < values.size(); ++i) {
        for (std::size_t j = i + 1; j < values.size(); ++j) CHECK(values[i] != values[j]);
    }
}

TEST_CASE("StepContext hands out the stream of its key", "[engine][random]") {
    const iraqsim::engine::StepContext ctx(11, 2, 57, iraqsim::core::Date{2004, 6, 3});
    CHECK(ctx.week() == 57);
    CHECK(ctx.date() == iraqsim::core::Date{2004, 6, 3});
    CHECK(prefix(ctx.stream(Purpose::loyalty_noise, 5)) == prefix(RandomStream(11, 2, 57, Purpose::loyalty_noise, 5)));
    CHECK(prefix(ctx.stream(Purpose::loyalty_noise, 5)) != prefix(ctx.stream(Purpose::loyalty_noise, 6)));
}

TEST_CASE("uniform draws lie strictly inside (0, 1) with mean 1/2", "[engine][random]") {
    constexpr int n = 100000;
    RandomStream stream(123, 0, 0, Purpose::loyalty_noise, 0);
    double sum = 0;
    double low = 1, high = 0;
    for (int i = 0; i < n; ++i) {
        const double u = stream.uniform();
        REQUIRE(u > 0.0);
        REQUIRE(u < 1.0);
        sum += u;
        low = std::min(low, u);
        high = std::max(high, u);
    }
    const double mean = sum / n;
    const double standard_error = std::sqrt(1.0 / 12.0 / n);
    CHECK(std::abs(mean - 0.5) < 4 * standard_error);
    // 100k draws cover the interval: the extremes are within 1e-3 of its ends.
    CHECK(low < 1e-3);
    CHECK(high > 1 - 1e-3);
}

TEST_CASE("normal draws have mean 0 and variance 1", "[engine][random]") {
    constexpr int n = 100000;
    RandomStream stream(2024, 5, 9, Purpose::loyalty_noise, 17);
    double sum = 0, sum_sq = 0;
    int beyond_two_sd = 0;
    for (int i = 0; i < n; ++i) {
        const double z = stream.normal();
        REQUIRE(std::isfinite(z));
        sum += z;
        sum_sq += z * z;
        if (std::abs(z) > 2) ++beyond_two_sd;
    }
    const double mean = sum / n;
    const double variance = (sum_sq - n * mean * mean) / (n - 1);
    CHECK(std::abs(mean) < 4 * std::sqrt(1.0 / n));
    // The sample variance of n standard normals has standard error sqrt(2 / (n - 1)).
    CHECK(std::abs(variance - 1.0) < 4 * std::sqrt(2.0 / (n - 1)));
    // P(|Z| > 2) = 0.0455; binomial standard error about 0.00066.
    const double tail = static_cast<double>(beyond_two_sd) / n;
    CHECK(std::abs(tail - 0.0455) < 4 * std::sqrt(0.0455 * (1 - 0.0455) / n));
}
