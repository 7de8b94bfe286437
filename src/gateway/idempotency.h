// ClientToken idempotence for mutating operations ("How to ensure
// idempotence", alibaba-api.md §4):
//   - same token, same business parameters -> the first call's answer,
//     without doing the work again;
//   - same token, different parameters -> IdempotentParameterMismatch;
//   - tokens are remembered per (account, action) for `retention`.
// The check, the work and the remembered answer commit in ONE store write
// transaction, so two concurrent calls with one token are serialized by
// the store: one executes, the other finds its record and replays it. A
// call that fails is not remembered (it rolled back), so it can be retried.
// SignatureNonce, Timestamp and Signature are protocol parameters and never
// part of the comparison.
#ifndef SWASD_GATEWAY_IDEMPOTENCY_H_
#define SWASD_GATEWAY_IDEMPOTENCY_H_

#include <chrono>
#include <functional>

#include "base/clock.h"
#include "gateway/audit.h"
#include "gateway/operation.h"
#include "store/store.h"

namespace swasd::gateway {

class Mutator {
 public:
  Mutator(store::Store* store, const Clock* clock,
          std::chrono::seconds retention)
      : store_(store), clock_(clock), retention_(retention) {}

  // Where each write's event goes (gateway/audit.h); none by default. Set
  // before the first request.
  void set_audit(const AuditSink* audit) { audit_ = audit; }

  using Work = std::function<Result<Json>(store::Tx&)>;
  using Done = std::function<void(Result<Json>)>;

  // Runs `work` in one write transaction, at most once per ClientToken,
  // with its audit event (ctx.operation set) in that same transaction, and
  // the request's nonce (ctx.nonce, when not claimed yet) in the same
  // group; a failed call's event is written after the rollback. Calls
  // `done` with the answer once all of it is durable: on the store's
  // writer thread when the store writes asynchronously (Store::WriteAsync),
  // else before returning. ctx and args must live until `done` is called.
  // Thread-safe.
  void RunAsync(const CallContext& ctx, std::string_view ram_action,
                const Args& args, Work work, Done done) const;

  // Forgets tokens older than the retention (housekeeping).
  Status Purge() const;

  store::Store* store() const { return store_; }

 private:
  store::Store* store_;
  const Clock* clock_;
  std::chrono::seconds retention_;
  const AuditSink* audit_ = nullptr;
};

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_IDEMPOTENCY_H_
