// The request log: one line per HTTP request, written with one write(2) so
// lines from concurrent workers never interleave and a request costs one
// syscall. docs/operations.md ("Logs") describes every field.
//
// Text (the default) is logfmt after a timestamp and a level:
//   2026-12-02T04:05:06.123Z info request request_id=… status=403
//   code=Forbidden.RAM product=Swas-open version=2020-06-01 action=… …
// JSON (--log-format json) is one object per line with the same keys, for
// log shippers. Values the caller sent (version, action, the path of an
// unknown endpoint) are escaped, so a request cannot forge log lines.
// Secrets never appear: the caller is named by account, principal and
// AccessKeyId only.
#ifndef SWASD_SERVER_REQUEST_LOG_H_
#define SWASD_SERVER_REQUEST_LOG_H_

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "gateway/dispatcher.h"

namespace swasd::server {

enum class LogFormat { kText, kJson };

// "text" or "json"; false for anything else.
bool ParseLogFormat(std::string_view name, LogFormat* format);

// One request, as the server saw it.
struct RequestEntry {
  std::chrono::system_clock::time_point time;  // when the answer was ready
  // The API call (logged at level info); nullptr for the endpoints beside
  // the API (/healthz, /metrics, the test clock: level debug), which are
  // named by `method` and `path` instead.
  const gateway::CallRecord* call = nullptr;
  std::string_view method;
  std::string_view path;  // without the query (which may carry a signature)
  int status = 0;
  std::chrono::nanoseconds latency{0};  // handler time, request parsed to answer ready
  size_t bytes_in = 0;   // request body
  size_t bytes_out = 0;  // response body
  std::string_view client;  // peer IP address
  bool tls = false;
};

// ActionTrail's userIdentity.type names: "root-account", "ram-user",
// "assumed-role".
std::string_view PrincipalTypeName(gateway::Principal::Type type);

// Appends `entry` as one line (with the trailing newline) to `out`.
void FormatRequestLine(const RequestEntry& entry, LogFormat format,
                       std::string* out);

class RequestLog {
 public:
  // Writes to file descriptor `fd` (stderr in swasd).
  RequestLog(LogFormat format, int fd) : format_(format), fd_(fd) {}

  // Formats and writes one line. Thread-safe; never throws; a failed write
  // is dropped (logging must not fail a request).
  void Write(const RequestEntry& entry) const;

  LogFormat format() const { return format_; }

 private:
  LogFormat format_;
  int fd_;
};

}  // namespace swasd::server

#endif  // SWASD_SERVER_REQUEST_LOG_H_
