#include "iraqsim/sweep/sensitivity.hpp"

#include <cmath>
#include <limits>

namespace iraqsim::sweep {

ElementaryEffects morris_effects(const UnitPoints& unit, std::span<const double> outputs, std::size_t factors) {
    std::vector<std::vector<double>> effects(factors);
    const std::size_t length = factors + 1;
    for (std::size_t start = 0; start + length <= unit.size(); start += length) {
        for (std::size_t step = start; step + 1 < start + length; ++step) {
            const std::vector<double>& a = unit[step];
            const std::vector<double>& b = unit[step + 1];
            std::size_t moved = 0;
            for (std::size_t j = 1; j < factors; ++j) {
                if (std::fabs(b[j] - a[j]) > std::fabs(b[moved] - a[moved])) moved = j;
            }
            const double du = b[moved] - a[moved];
            const double dy = outputs[step + 1] - outputs[step];
            if (du != 0 && std::isfinite(dy)) effects[moved].push_back(dy / du);
        }
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    ElementaryEffects out{std::vector<double>(factors, nan), std::vector<double>(factors, nan),
                          std::vector<double>(factors, nan), std::vector<std::size_t>(factors, 0)};
    for (std::size_t j = 0; j < factors; ++j) {
        const std::vector<double>& e = effects[j];
        out.count[j] = e.size();
        if (e.empty()) continue;
        double sum = 0, sum_abs = 0;
        for (double x : e) {
            sum += x;
            sum_abs += std::fabs(x);
        }
        const auto n = static_cast<double>(e.size());
        out.mu[j] = sum / n;
        out.mu_star[j] = sum_abs / n;
        if (e.size() < 2) continue;
        double squares = 0;
        for (double x : e) squares += (x - out.mu[j]) * (x - out.mu[j]);
        out.sigma[j] = std::sqrt(squares / (n - 1));
    }
    return out;
}

}  // namespace iraqsim::sweep
