// Strong ids for the world's dimensions: a ProvinceId cannot be passed where a FactionId is meant.
// Names resolve to ids once, when a scenario is loaded; the step loop only sees indices.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>

namespace iraqsim::core {

template <class Tag>
struct Id {
    std::uint16_t value = 0;

    constexpr Id() = default;
    constexpr explicit Id(std::size_t index) : value(static_cast<std::uint16_t>(index)) {}
    [[nodiscard]] constexpr std::size_t index() const { return value; }
    constexpr auto operator<=>(const Id&) const = default;
};

using ProvinceId = Id<struct ProvinceTag>;
using CommunityId = Id<struct CommunityTag>;
using FactionId = Id<struct FactionTag>;
using SponsorId = Id<struct SponsorTag>;

}  // namespace iraqsim::core
