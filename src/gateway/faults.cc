#include "gateway/faults.h"

#include <charconv>

#include "base/errors.h"
#include "base/ids.h"

namespace swasd::gateway {
namespace {

inline constexpr ErrorSpec kThrottlingApi{"Throttling.Api", 400,
                                          "Request was denied due to api flow control."};

bool Matches(std::string_view pattern, std::string_view value) {
  return pattern == "*" || pattern == value;
}

}  // namespace

FaultInjector::FaultInjector(std::function<int()> roll)
    : roll_(std::move(roll)), rng_(std::random_device{}()) {}

std::optional<ErrorSpec> FaultInjector::Known(std::string_view code) {
  for (const ErrorSpec& e : {errors::kInternalError, errors::kServiceUnavailable,
                             errors::kThrottlingUser, kThrottlingApi}) {
    if (e.code == code) return e;
  }
  return std::nullopt;
}

Result<std::vector<std::pair<std::string, int>>> FaultInjector::ParseErrors(std::string_view text) {
  std::vector<std::pair<std::string, int>> out;
  int total = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    std::string_view item =
        text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    start = comma == std::string_view::npos ? text.size() : comma + 1;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return errors::InvalidParam("Errors", "each item is <Code>=<percent>");
    }
    std::string_view code = item.substr(0, eq), pct = item.substr(eq + 1);
    if (!Known(code)) {
      return errors::InvalidParam(
          "Errors", "codes are InternalError, ServiceUnavailable, Throttling.User, Throttling.Api");
    }
    int n = -1;
    auto [p, ec] = std::from_chars(pct.data(), pct.data() + pct.size(), n);
    if (ec != std::errc() || p != pct.data() + pct.size() || n < 0 || n > 100) {
      return errors::InvalidParam("Errors", "a percent is 0 to 100");
    }
    total += n;
    out.emplace_back(std::string(code), n);
  }
  if (out.empty()) return errors::InvalidParam("Errors", "at least one <Code>=<percent>");
  if (total > 100) return errors::InvalidParam("Errors", "the percents add up to more than 100");
  return out;
}

std::string FaultInjector::Set(FaultRule rule) {
  if (rule.id.empty()) rule.id = "fr-" + ids::RandomAlnumLower(12, "fault-rule");
  MutexLock lock(&mu_);
  for (auto& r : rules_) {
    if (r.id == rule.id) {
      r = rule;
      return rule.id;
    }
  }
  rules_.push_back(rule);
  return rule.id;
}

bool FaultInjector::Delete(std::string_view id) {
  MutexLock lock(&mu_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if (it->id == id) {
      rules_.erase(it);
      return true;
    }
  }
  return false;
}

std::vector<FaultRule> FaultInjector::List() const {
  MutexLock lock(&mu_);
  return rules_;
}

Injection FaultInjector::Pick(std::string_view product, std::string_view action,
                               std::string_view account) const {
  MutexLock lock(&mu_);
  for (const auto& r : rules_) {
    if (!Matches(r.product, product) || !Matches(r.action, action) ||
        !Matches(r.account, account)) {
      continue;
    }
    Injection out;
    out.delay = std::chrono::milliseconds(r.delay_ms);
    if (r.errors.empty()) return out;
    const int draw = roll_ ? roll_() : static_cast<int>(rng_() % 100);
    int upto = 0;
    for (const auto& [code, pct] : r.errors) {
      upto += pct;
      if (draw < upto) {
        out.error = Error(*Known(code)).WithCause("injected by fault rule " + r.id);
        break;
      }
    }
    return out;
  }
  return {};
}

}  // namespace swasd::gateway
