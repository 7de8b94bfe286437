// Per-account, per-action flow control: token buckets, off unless rules
// are given (--throttle). A refused call is answered Alibaba's
// Throttling.User (HTTP 400, "Request was denied due to user flow
// control."), the code clients' retry logic looks for (Terraform retries
// any code starting "Throttling"). The dispatcher asks after
// authentication and authorization and before the handler, so a refused
// call changes nothing.
//
// A rule: "<Action>=<N>/s" or "<Action>=<N>/m", optionally ",burst=<B>"
// (default: max(1, N per second)); "*" as the Action is the default for
// actions without a rule of their own. Each (account, action) has its own
// bucket: it holds up to B tokens, refills at N per second (or minute) on
// the injected clock, and each call takes one.
#ifndef SWASD_GATEWAY_THROTTLE_H_
#define SWASD_GATEWAY_THROTTLE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "base/thread_annotations.h"

namespace swasd::gateway {

struct ThrottleRule {
  double per_second = 0;  // refill rate
  double burst = 1;       // bucket size
};

class Throttle {
 public:
  // No rules: every call passes.
  explicit Throttle(const Clock* clock) : clock_(clock) {}

  // Parses one rule; the Action ("*" for the default) and the rule, or
  // InvalidParameter-style text in the error's message.
  static Result<std::pair<std::string, ThrottleRule>> ParseRule(std::string_view spec);
  // Adds rules (each as ParseRule); a later rule for an action replaces an
  // earlier one. Call before the first Admit.
  Status Configure(const std::vector<std::string>& specs);

  bool enabled() const { return !rules_.empty() || default_.has_value(); }
  // Takes a token of (account, action)'s bucket: OK, or Throttling.User.
  // Thread-safe.
  Status Admit(std::string_view account, std::string_view action) const;

 private:
  struct Bucket {
    double tokens = 0;
    int64_t at_ms = 0;
  };
  const ThrottleRule* RuleFor(std::string_view action) const;

  const Clock* clock_;
  std::map<std::string, ThrottleRule, std::less<>> rules_;
  std::optional<ThrottleRule> default_;
  mutable Mutex mu_;
  mutable std::map<std::string, Bucket, std::less<>> buckets_ GUARDED_BY(mu_);
};

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_THROTTLE_H_
