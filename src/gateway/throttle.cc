#include "gateway/throttle.h"

#include <algorithm>
#include <charconv>

#include "base/errors.h"

namespace swasd::gateway {
namespace {

std::optional<double> Positive(std::string_view s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !(v > 0) || v > 1e9) return std::nullopt;
  return v;
}

Error Bad(std::string_view spec, std::string_view why) {
  return Error("InvalidThrottleRule", 400,
               "--throttle '" + std::string(spec) + "': " + std::string(why) +
                   " (expected <Action|*>=<N>/s or /m, optionally ,burst=<B>)");
}

}  // namespace

Result<std::pair<std::string, ThrottleRule>> Throttle::ParseRule(std::string_view spec) {
  size_t eq = spec.find('=');
  if (eq == std::string_view::npos || eq == 0) return Bad(spec, "no Action");
  std::string action(spec.substr(0, eq));
  std::string_view rest = spec.substr(eq + 1);
  std::string_view rate = rest.substr(0, rest.find(','));
  std::string_view options =
      rate.size() < rest.size() ? rest.substr(rate.size() + 1) : std::string_view();
  size_t slash = rate.find('/');
  if (slash == std::string_view::npos) return Bad(spec, "no /s or /m");
  auto n = Positive(rate.substr(0, slash));
  if (!n) return Bad(spec, "the rate is not a positive number");
  std::string_view unit = rate.substr(slash + 1);
  ThrottleRule rule;
  if (unit == "s") {
    rule.per_second = *n;
  } else if (unit == "m") {
    rule.per_second = *n / 60;
  } else {
    return Bad(spec, "the unit is not s or m");
  }
  rule.burst = std::max(1.0, rule.per_second);
  if (!options.empty()) {
    if (options.rfind("burst=", 0) != 0) return Bad(spec, "unknown option");
    auto b = Positive(options.substr(6));
    if (!b || *b < 1) return Bad(spec, "burst must be at least 1");
    rule.burst = *b;
  }
  return std::pair{std::move(action), rule};
}

Status Throttle::Configure(const std::vector<std::string>& specs) {
  for (const auto& spec : specs) {
    SWASD_ASSIGN_OR_RETURN(auto parsed, ParseRule(spec));
    if (parsed.first == "*") {
      default_ = parsed.second;
    } else {
      rules_[parsed.first] = parsed.second;
    }
  }
  return Status::Ok();
}

const ThrottleRule* Throttle::RuleFor(std::string_view action) const {
  auto it = rules_.find(action);
  if (it != rules_.end()) return &it->second;
  return default_ ? &*default_ : nullptr;
}

Status Throttle::Admit(std::string_view account, std::string_view action) const {
  const ThrottleRule* rule = RuleFor(action);
  if (rule == nullptr) return Status::Ok();
  const int64_t now = clock_->NowUnixMillis();
  std::string key = std::string(account) + "/" + std::string(action);
  MutexLock lock(&mu_);
  auto [it, fresh] = buckets_.try_emplace(std::move(key));
  Bucket& b = it->second;
  if (fresh) {
    b.tokens = rule->burst;
  } else if (now > b.at_ms) {
    b.tokens = std::min(rule->burst, b.tokens + (now - b.at_ms) * rule->per_second / 1000.0);
  }
  b.at_ms = std::max(b.at_ms, now);
  if (b.tokens < 1) return errors::kThrottlingUser;
  b.tokens -= 1;
  return Status::Ok();
}

}  // namespace swasd::gateway
