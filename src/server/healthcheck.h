// `swasd healthcheck`: asks a running swasd for GET /healthz, for container
// health checks and service managers that have no curl. The address is the
// server's own --listen (same flags, environment and config file), so a
// check run beside the server with the same configuration finds it.
#ifndef SWASD_SERVER_HEALTHCHECK_H_
#define SWASD_SERVER_HEALTHCHECK_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace swasd::server {

// The host to connect to for a listen host: a wildcard (0.0.0.0, ::) is
// served on loopback too, so the check goes there; any other host as is.
std::string HealthCheckHost(std::string_view listen_host);

struct HealthResult {
  bool healthy = false;
  // One line for a person or a log: the URL, the status and body, or why
  // there was no answer.
  std::string line;
};

// GET http://host:port/healthz within `timeout` (connect, send, read).
// Healthy when the answer is 200 (swasd answers 503 when its store does
// not answer; anything else is not swasd or not well).
HealthResult CheckHealth(const std::string& host, uint16_t port,
                         std::chrono::milliseconds timeout);

}  // namespace swasd::server

#endif  // SWASD_SERVER_HEALTHCHECK_H_
