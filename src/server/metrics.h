// swasd's Prometheus metrics, served as text (exposition format 0.0.4) at
// GET /metrics (server/admin_handler.h decides who may read them).
// docs/operations.md ("Metrics") lists every series.
//
// Cost on the request path: ObserveCall takes one mutex and finds its
// series in a sorted map without allocating (after a series' first call);
// commit observations and the in-flight gauge are atomics. Resource counts
// are not kept on the request path at all: ResourceCounts reads the
// store's own per-kind counters when /metrics is scraped, at most once per
// refresh interval.
#ifndef SWASD_SERVER_METRICS_H_
#define SWASD_SERVER_METRICS_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/dispatcher.h"
#include "gateway/nonce_cache.h"
#include "store/store.h"

namespace swasd::server {

// A Prometheus histogram with fixed upper bounds. Not thread-safe by itself.
struct Histogram {
  explicit Histogram(const std::vector<double>* bounds)
      : bounds(bounds), counts(bounds->size() + 1, 0) {}
  void Observe(double v);

  const std::vector<double>* bounds;
  std::vector<uint64_t> counts;  // per bucket, not cumulative; last: +Inf
  double sum = 0;
  uint64_t count = 0;
};

class Metrics : public store::CommitObserver {
 public:
  // version: swasd's; backend: the store's ("sqlite", "postgresql").
  Metrics(std::string version, std::string backend);

  // An API call (gateway::Dispatcher) answered `status` after `latency`.
  // Its action is a label only when it names an operation of the API
  // model; other actions count under action="" (callers choose them, so
  // they would make the series unbounded).
  void ObserveCall(const gateway::CallRecord& call,
                   std::chrono::nanoseconds latency);

  // Requests being handled; the server brackets each with these.
  void RequestStarted() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void RequestFinished() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }

  // store::CommitObserver.
  void OnCommit(size_t writes, std::chrono::nanoseconds took) override;

  // The in-memory nonce table whose size /metrics reports (none: not
  // reported). Set before the first scrape; must outlive the Metrics.
  void set_nonce_cache(const gateway::NonceCache* cache) { nonce_cache_ = cache; }

  // Expired nonces the janitor removed.
  void AddNoncesPurged(int64_t n) {
    nonces_purged_.fetch_add(n, std::memory_order_relaxed);
  }

  // Everything, in the text format; `resources` (kind, count) become
  // swasd_resources{kind}.
  std::string Render(
      const std::vector<std::pair<std::string, int64_t>>& resources) const;

 private:
  const std::string version_;
  const std::string backend_;
  const double start_time_;

  mutable std::mutex mu_;
  // product \x1f action \x1f code -> count
  std::map<std::string, uint64_t, std::less<>> calls_;
  // product \x1f action -> latency
  std::map<std::string, Histogram, std::less<>> latency_;
  Histogram commit_seconds_;
  Histogram commit_group_size_;
  uint64_t nonces_claimed_ = 0;

  std::atomic<int64_t> in_flight_{0};
  std::atomic<int64_t> nonces_purged_{0};
  const gateway::NonceCache* nonce_cache_ = nullptr;
};

// Resources per kind over all accounts, from the store's counters
// (Tx::CountResources by kind and account), cached for `max_age`.
class ResourceCounts {
 public:
  ResourceCounts(store::Store* store, std::vector<std::string> kinds,
                 std::chrono::milliseconds max_age)
      : store_(store), kinds_(std::move(kinds)), max_age_(max_age) {}

  // The counts, refreshed first when older than max_age. A store failure
  // keeps the previous counts (empty before the first success).
  std::vector<std::pair<std::string, int64_t>> Get();

 private:
  store::Store* store_;
  const std::vector<std::string> kinds_;
  const std::chrono::milliseconds max_age_;
  std::mutex mu_;
  std::chrono::steady_clock::time_point refreshed_{};
  bool valid_ = false;
  std::vector<std::pair<std::string, int64_t>> counts_;
};

}  // namespace swasd::server

#endif  // SWASD_SERVER_METRICS_H_
