// The signature nonces recently claimed by this process, in memory, so a
// replay is refused at once, before any handler runs or any commit is
// waited for. It is a fast path only: the durable claim in the store
// (ClaimNonceIn) stays the authority, so a nonce that fell out of this
// table, or was used before a restart or on another node, is still
// refused when its claim is recorded.
//
// Bounded: at most `capacity` entries (oldest first out); an entry leaves
// once its expiry passed. Sharded by hash so concurrent I/O threads rarely
// share a lock. Thread-safe.
#ifndef SWASD_GATEWAY_NONCE_CACHE_H_
#define SWASD_GATEWAY_NONCE_CACHE_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/thread_annotations.h"

namespace swasd::gateway {

class NonceCache {
 public:
  // About 150 bytes per entry: 64k entries stay under 10 MiB.
  explicit NonceCache(size_t capacity = 64 * 1024);

  // Records (access_key_id, nonce) until `expires_at` (unix seconds).
  // False when it is already recorded and not expired at `now`: a replay.
  bool Insert(std::string_view access_key_id, std::string_view nonce,
              int64_t expires_at, int64_t now);

  // Forgets (access_key_id, nonce): its claim failed, so whether it is
  // recorded is the store's to say when it is sent again.
  void Erase(std::string_view access_key_id, std::string_view nonce);

  // Entries held (for /metrics).
  size_t size() const { return size_.load(std::memory_order_relaxed); }

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    Mutex mu;
    std::unordered_map<std::string, int64_t> expiry GUARDED_BY(mu);
    // Insertion order, for eviction: (key, expiry at insertion).
    std::deque<std::pair<std::string, int64_t>> order GUARDED_BY(mu);
  };
  static std::string Key(std::string_view access_key_id, std::string_view nonce);
  Shard& ShardOf(const std::string& key);

  const size_t per_shard_;
  std::array<Shard, kShards> shards_;
  std::atomic<size_t> size_{0};
};

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_NONCE_CACHE_H_
