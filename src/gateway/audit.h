// The audit trail's port in the gateway. Every call that changes state and
// every call refused by authorization becomes one event; the gateway says
// when, the sink (actiontrail/api) says how it is written and read back.
//
//   - a write that succeeds: Record() inside the write's own transaction
//     (Mutator::Run), so the event commits exactly when the change does;
//   - a write that fails with a client error (4xx): its transaction rolled
//     back, so RecordAlone() writes the event with its errorCode in a
//     transaction of its own (as ActionTrail records failed calls);
//   - a call refused by authorization, read or write, before any handler:
//     RecordAlone();
//   - a ClientToken replay (no work done), a DryRun (rolled back) and a
//     storage failure (5xx) are not recorded.
#ifndef SWASD_GATEWAY_AUDIT_H_
#define SWASD_GATEWAY_AUDIT_H_

#include "base/error.h"
#include "gateway/operation.h"
#include "store/store.h"

namespace swasd::gateway {

class AuditSink {
 public:
  virtual ~AuditSink() = default;
  // Writes the event of the call in `ctx` (ctx.operation set) into `tx`,
  // the transaction of the change it records. `error` is null for a call
  // that succeeded. Thread-safe.
  virtual Status Record(store::Tx& tx, const CallContext& ctx, const Args& args,
                        const Error* error) const = 0;
  // The same, in a write transaction of its own (Store::WriteAsync):
  // `done` gets the write's result once it is durable. ctx and args must
  // live until then.
  virtual void RecordAlone(const CallContext& ctx, const Args& args,
                           const Error& error,
                           std::function<void(Status)> done) const = 0;
};

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_AUDIT_H_
