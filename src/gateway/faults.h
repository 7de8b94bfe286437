// Fault injection for testing clients (docs/operations.md, "Fault
// injection"): rules set at runtime make matching calls fail with an
// injected error, e.g. "swas-open ModifyImageShareStatus: 10% InternalError,
// 5% ServiceUnavailable, +200 ms". The dispatcher asks after authentication,
// authorization and throttling and before the handler runs, so an injected
// error never half-applies a write. Rules live in memory (a restart clears
// them) and exist only with --enable-fault-injection; the root account
// manages them through the swasd admin product (admin/api/routes.h).
#ifndef SWASD_GATEWAY_FAULTS_H_
#define SWASD_GATEWAY_FAULTS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "base/thread_annotations.h"

namespace swasd::gateway {

struct FaultRule {
  std::string id;             // "fr-..."
  std::string product = "*";  // RAM code ("swas-open") or "*"
  std::string action = "*";   // Action or "*"
  std::string account = "*";  // account id or "*"
  // (code, percent): each call draws once; the first PCT points inject the
  // first code, the next ones the second ... The percents add up to <= 100.
  std::vector<std::pair<std::string, int>> errors;
  // Every matching call's answer is held this long (0..60000 ms), whether
  // or not an error is injected: a slow service. The call's work is done
  // first, so a client that times out and retries meets its ClientToken.
  int delay_ms = 0;
  int64_t created_ms = 0;
};

// What a rule does to one call.
struct Injection {
  std::optional<Error> error;          // answer this instead of running
  std::chrono::milliseconds delay{0};  // hold the answer this long
};

class FaultInjector {
 public:
  // `roll` returns 0..99 for each call (default: a random draw); tests
  // pass their own.
  explicit FaultInjector(std::function<int()> roll = {});

  // The errors a rule may inject, with Alibaba's statuses and messages:
  // InternalError (500), ServiceUnavailable (503), Throttling.User and
  // Throttling.Api (400). Any other code is refused.
  static std::optional<ErrorSpec> Known(std::string_view code);
  // "InternalError=10,ServiceUnavailable=5" (percent per code).
  static Result<std::vector<std::pair<std::string, int>>> ParseErrors(std::string_view text);

  // Adds `rule` (a fresh id when rule.id is empty) or replaces the rule
  // with its id. Returns the id. Thread-safe, as are the others.
  std::string Set(FaultRule rule);
  bool Delete(std::string_view id);
  std::vector<FaultRule> List() const;

  // What to inject into a call: the first rule matching (product, action,
  // account) draws its error and gives its delay; nothing when none
  // matches.
  Injection Pick(std::string_view product, std::string_view action,
                 std::string_view account) const;

 private:
  std::function<int()> roll_;
  mutable Mutex mu_;
  std::vector<FaultRule> rules_ GUARDED_BY(mu_);
  mutable std::mt19937_64 rng_ GUARDED_BY(mu_);
};

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_FAULTS_H_
