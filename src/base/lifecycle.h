// Asynchronous work as data: the current status, the status it moves to,
// and when. The effective status is computed from the clock, so a
// transition survives a restart (and is the same on every node sharing a
// PostgreSQL store) without any background job; writers settle it when
// they touch a record. Used by every product's resources (SWAS instances,
// ECS instances, VPCs ...).
#ifndef SWASD_BASE_LIFECYCLE_H_
#define SWASD_BASE_LIFECYCLE_H_

#include <cstdint>
#include <string>
#include <utility>

namespace swasd {

struct Lifecycle {
  std::string status;
  std::string next;     // empty: no transition pending
  int64_t at_ms = 0;    // when `next` takes over

  std::string Effective(int64_t now_ms) const {
    return (!next.empty() && now_ms >= at_ms) ? next : status;
  }
  // Makes `status` the effective one.
  void Settle(int64_t now_ms) {
    status = Effective(now_ms);
    if (status == next) next.clear();
  }
  void Begin(std::string now_status, std::string then, int64_t at) {
    status = std::move(now_status);
    next = std::move(then);
    at_ms = at;
  }
};

}  // namespace swasd

#endif  // SWASD_BASE_LIFECYCLE_H_
