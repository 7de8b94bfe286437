// The HTTP endpoints beside the Alibaba API, none of them signed:
//   GET /healthz   is the store reachable? For load balancers and
//                  operators; also names the backend, whether it keeps
//                  its state (Durable: false under --ephemeral) and
//                  swasd's version.
//   GET /metrics   Prometheus metrics (server/metrics.h), when a renderer is
//                  given: to loopback clients only, unless metrics_public.
//   POST /_test/clock/advance?seconds=N  only with --test-clock: moves
//                  swasd's clock forward so tests need not sleep (STS
//                  expiry, lifecycles); the endpoint does not exist without
//                  the flag.
// Everything else goes to the gateway's Dispatcher.
#ifndef SWASD_SERVER_ADMIN_HANDLER_H_
#define SWASD_SERVER_ADMIN_HANDLER_H_

#include <functional>
#include <optional>
#include <string>

#include "base/clock.h"
#include "http/message.h"
#include "store/store.h"

namespace swasd::server {

struct AdminOptions {
  // The clock the test endpoint moves; nullptr without --test-clock.
  OffsetClock* test_clock = nullptr;
  // swasd's version, answered by /healthz.
  std::string version;
  // Renders /metrics; empty: no /metrics endpoint.
  std::function<std::string()> metrics;
  // Serve /metrics to any client, not only loopback ones (--metrics-public).
  bool metrics_public = false;
};

class AdminHandler {
 public:
  AdminHandler(store::Store* store, AdminOptions options)
      : store_(store), options_(std::move(options)) {}

  // The answer when `req` is one of these endpoints; nullopt otherwise.
  std::optional<http::HttpResponse> Handle(const http::HttpRequest& req) const;

 private:
  store::Store* store_;
  AdminOptions options_;
};

// True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (::ffff:127.x.x.x).
bool IsLoopbackAddress(std::string_view ip);

}  // namespace swasd::server

#endif  // SWASD_SERVER_ADMIN_HANDLER_H_
