// The HTTP endpoints beside the Alibaba API: GET /healthz (is the store
// reachable?) for load balancers and operators, and, only when swasd runs
// with --test-clock, POST /_test/clock/advance?seconds=N, which moves
// swasd's clock forward so tests need not sleep (STS expiry, lifecycles).
// Neither is signed; the test clock endpoint does not exist without the
// flag. Everything else goes to the gateway's Dispatcher.
#ifndef SWASD_SERVER_ADMIN_HANDLER_H_
#define SWASD_SERVER_ADMIN_HANDLER_H_

#include <optional>

#include "base/clock.h"
#include "http/message.h"
#include "store/store.h"

namespace swasd::server {

class AdminHandler {
 public:
  // test_clock: the clock the endpoint moves; nullptr without --test-clock.
  AdminHandler(store::Store* store, OffsetClock* test_clock)
      : store_(store), test_clock_(test_clock) {}

  // The answer when `req` is one of these endpoints; nullopt otherwise.
  std::optional<http::HttpResponse> Handle(const http::HttpRequest& req) const;

 private:
  store::Store* store_;
  OffsetClock* test_clock_;
};

}  // namespace swasd::server

#endif  // SWASD_SERVER_ADMIN_HANDLER_H_
