#include "gateway/nonce_cache.h"

#include <algorithm>
#include <functional>

namespace swasd::gateway {

NonceCache::NonceCache(size_t capacity)
    : per_shard_(std::max<size_t>(1, capacity / kShards)) {}

std::string NonceCache::Key(std::string_view access_key_id, std::string_view nonce) {
  // The key ID cannot contain NUL (it is checked as printable), so the
  // joined key is unambiguous.
  std::string key;
  key.reserve(access_key_id.size() + 1 + nonce.size());
  key.append(access_key_id).push_back('\0');
  key.append(nonce);
  return key;
}

NonceCache::Shard& NonceCache::ShardOf(const std::string& key) {
  return shards_[std::hash<std::string>{}(key) % kShards];
}

void NonceCache::Erase(std::string_view access_key_id, std::string_view nonce) {
  std::string key = Key(access_key_id, nonce);
  Shard& shard = ShardOf(key);
  MutexLock lock(&shard.mu);
  // Its slot in `order` stays, stale, until evicted (Insert skips it).
  if (shard.expiry.erase(key) > 0) size_.fetch_sub(1, std::memory_order_relaxed);
}

bool NonceCache::Insert(std::string_view access_key_id, std::string_view nonce,
                        int64_t expires_at, int64_t now) {
  std::string key = Key(access_key_id, nonce);
  Shard& shard = ShardOf(key);
  MutexLock lock(&shard.mu);
  // Out with what expired or overflows, oldest first. An entry renewed
  // after expiry (or erased) has a newer expiry in the map than in its old
  // order slot, or none; that slot is then stale and dropped without
  // touching the map. (A loop, not a lambda: the lock analysis must see
  // shard.mu held.)
  while (!shard.order.empty() &&
         (shard.order.front().second <= now || shard.expiry.size() >= per_shard_)) {
    const auto& [k, exp] = shard.order.front();
    auto old = shard.expiry.find(k);
    if (old != shard.expiry.end() && old->second == exp) {
      shard.expiry.erase(old);
      size_.fetch_sub(1, std::memory_order_relaxed);
    }
    shard.order.pop_front();
  }
  auto [it, fresh] = shard.expiry.try_emplace(key, expires_at);
  if (!fresh) {
    if (it->second > now) return false;
    it->second = expires_at;  // expired: a new use
  } else {
    size_.fetch_add(1, std::memory_order_relaxed);
  }
  shard.order.emplace_back(std::move(key), expires_at);
  return true;
}

}  // namespace swasd::gateway
