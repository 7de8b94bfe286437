// One adapter from a product's handler functions to operation rows. The
// row (parameters, RAM action, resource, summary) comes from the product's
// overlay and the SDK model; the product gives only the code, in one of
// three forms:
//
//   Read(action, fn)   fn runs in a read transaction;
//   Write(action, fn)  fn runs through the Mutator: once per ClientToken,
//                      in one transaction with the token's record and the
//                      request's nonce (claims_nonce);
//   Raw(action, h)     h is the whole handler (no store, or its own);
//   RawRead(action, h) the same for a handler that never writes, so it
//                      may run on an I/O thread.
//
// fn is `Result<Json>(store::Tx&, const CallContext&, const Args&)`, or
// with the call's RegionId as a fourth argument before Args:
// `(store::Tx&, const CallContext&, const std::string& region, const Args&)`.
// Product rules that apply to every operation are hooks, not copies:
// `before` runs ahead of each Read and Write (a region check), and
// `dry_run` makes Write honour DryRun=true (ECS).
//
// Adding an operation: its entry in api/overlay/<product>.json, one call
// here with its service function, and its tests (docs/architecture.md).
#ifndef SWASD_GATEWAY_ROUTES_H_
#define SWASD_GATEWAY_ROUTES_H_

#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "gateway/common_params.h"
#include "gateway/idempotency.h"
#include "gateway/operation.h"
#include "gateway/overlay.h"
#include "gateway/registry.h"

namespace swasd::gateway {

// Where handlers do their work. Products' Services derive from it; the
// fields are set before the first request (after registration).
struct Backends {
  store::Store* store = nullptr;
  const Mutator* mutator = nullptr;
};

struct RouteHooks {
  // Runs before every Read and Write handler; an error is the answer.
  std::function<Status(const Args&)> before;
  // When set, Write honours DryRun=true: the work runs in a transaction
  // that always rolls back, and a call that would succeed answers this.
  std::optional<ErrorSpec> dry_run;
};

class Routes {
 public:
  // `overlay` and `backends` must outlive the registry's use.
  Routes(const ProductSpec& product, const Overlay* overlay,
         const Backends* backends, RouteHooks hooks = {})
      : product_(product), overlay_(overlay), backends_(backends),
        hooks_(std::move(hooks)) {}

  template <typename F>
  void Read(std::string_view action, F fn) {
    Add(action, /*claims_nonce=*/false, /*mutating=*/false, /*blocking=*/false,
        [this, fn](const OperationSpec&) -> Factory::result_type {
          const Backends* b = backends_;
          auto before = hooks_.before;
          Handler h = [b, before, fn](const CallContext& ctx, const Args& args) -> Result<Json> {
            if (before) SWASD_RETURN_IF_ERROR(before(args));
            return ReadJson(b->store, [&](store::Tx& tx) { return Call(fn, tx, ctx, args); });
          };
          return {std::move(h), nullptr};
        });
  }

  template <typename F>
  void Write(std::string_view action, F fn) {
    // The handler's only write is Mutator::Run (a DryRun's transaction
    // always rolls back), so the nonce commits with the mutation.
    Add(action, /*claims_nonce=*/true, /*mutating=*/true, /*blocking=*/true,
        [this, fn](const OperationSpec& row) -> Factory::result_type {
          const Backends* b = backends_;
          RouteHooks hooks = hooks_;
          std::string ram = row.ram_action;
          AsyncHandler async = [b, hooks, ram, fn](const CallContext& ctx, const Args& args,
                                                   std::function<void(Result<Json>)> done) {
            if (hooks.before) {
              if (Status s = hooks.before(args); !s.ok()) return done(std::move(s).error());
            }
            // ctx and args outlive `done` (AsyncHandler's contract).
            Mutator::Work work = [fn, &ctx, &args](store::Tx& tx) {
              return Call(fn, tx, ctx, args);
            };
            if (hooks.dry_run && args.Boolean("DryRun").value_or(false)) {
              ErrorSpec would_succeed = *hooks.dry_run;
              b->store->WriteAsync(
                  [work, would_succeed](store::Tx& tx) -> Status {
                    auto r = work(tx);
                    if (!r.ok()) return std::move(r).error();
                    return would_succeed;
                  },
                  [done](Status check) { done(std::move(check).error()); });
              return;
            }
            b->mutator->RunAsync(ctx, ram, args, std::move(work), std::move(done));
          };
          return {nullptr, std::move(async)};
        });
  }

  // h is the whole handler; it may write (it runs on a worker pool).
  void Raw(std::string_view action, Handler handler) {
    Add(action, false, false, /*blocking=*/true,
        [handler](const OperationSpec&) -> Factory::result_type { return {handler, nullptr}; });
  }
  // A whole handler that never writes the store (it may read it): it may
  // run on an I/O thread.
  void RawRead(std::string_view action, Handler handler) {
    Add(action, false, false, /*blocking=*/false,
        [handler](const OperationSpec&) -> Factory::result_type { return {handler, nullptr}; });
  }

  // Adds the product and one row per handler. Fails when a handler names
  // an action the overlay does not describe, or the overlay describes one
  // that has no handler.
  Status Register(Registry* registry) const;

 private:
  using Factory =
      std::function<std::pair<Handler, AsyncHandler>(const OperationSpec& row)>;
  struct Entry {
    std::string action;
    bool claims_nonce;
    bool mutating;
    bool blocking;
    Factory factory;
  };

  template <typename F>
  static Result<Json> Call(const F& fn, store::Tx& tx, const CallContext& ctx,
                           const Args& args) {
    if constexpr (std::is_invocable_v<const F&, store::Tx&, const CallContext&,
                                      const std::string&, const Args&>) {
      const std::string region = args.String("RegionId").value_or("");
      return fn(tx, ctx, region, args);
    } else {
      return fn(tx, ctx, args);
    }
  }

  void Add(std::string_view action, bool claims_nonce, bool mutating, bool blocking,
           Factory f) {
    entries_.push_back({std::string(action), claims_nonce, mutating, blocking, std::move(f)});
  }

  ProductSpec product_;
  const Overlay* overlay_;
  const Backends* backends_;
  RouteHooks hooks_;
  std::vector<Entry> entries_;
};

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_ROUTES_H_
