// The HTTP/1.1 transport: a listener that accepts connections, sessions
// that read requests under limits and timeouts, and a handler that turns
// an HttpRequest into an HttpResponse. Handlers run on a separate worker
// pool, never on the I/O threads, because they block on the store.
//
// Lifecycle: Start() binds and begins accepting; Run() blocks until a
// stop is requested (SIGTERM/SIGINT or RequestStop()) and every in-flight
// request has been answered or the drain deadline passed.
#ifndef SWASD_HTTP_SERVER_H_
#define SWASD_HTTP_SERVER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/error.h"
#include "http/message.h"

namespace swasd::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port; see Server::port()
  int io_threads = 2;
  // Handlers block on the store; a group commit can only batch as many
  // Writes as there are workers waiting in it.
  int worker_threads = 32;
  // Request line + headers. RAM policies and ECS UserData travel in the
  // query, so URLs of 64 KiB and more must pass (sdk/other-products.md §9).
  uint32_t header_limit = 128 * 1024;
  uint64_t body_limit = 2 * 1024 * 1024;
  // Time to receive one whole request, and the keep-alive idle time; a
  // slow or idle client is disconnected after it.
  std::chrono::milliseconds request_timeout{30000};
  // How long a graceful stop waits for in-flight requests.
  std::chrono::milliseconds drain_timeout{10000};
  // Connections beyond this are accepted and closed at once.
  int max_connections = 20000;
  // TLS: a second listener on tls_host:tls_port (0: any free port) whose
  // connections speak HTTPS, enabled when tls_cert_file is set. The PEM
  // certificate chain (leaf first) and its PEM private key. The plain
  // listener above keeps serving HTTP beside it.
  std::string tls_host = "127.0.0.1";
  uint16_t tls_port = 8443;
  std::string tls_cert_file;
  std::string tls_key_file;
  // Time for a TLS client to finish its handshake.
  std::chrono::milliseconds tls_handshake_timeout{10000};
};

// Called on a worker thread for every complete request. Must not throw
// (the server catches and answers 500 if it does).
using Handler = std::function<HttpResponse(HttpRequest&)>;

// Renders an answer for a request the transport itself refused (malformed,
// over a limit) before any handler saw it: 400, 413 or 431. Supplied by
// the protocol layer so those answers carry its envelope and a RequestId.
using TransportErrorRenderer =
    std::function<HttpResponse(int status, std::string_view reason)>;

class Server {
 public:
  // Binds the listening socket(s). Fails with a message when an address is
  // unusable (in use, bad host) or the TLS certificate or key cannot be
  // loaded (missing, unreadable, not PEM, key not matching the certificate).
  static Result<std::unique_ptr<Server>> Start(
      const ServerOptions& options, Handler handler,
      TransportErrorRenderer render_error);
  ~Server();

  // The bound port (useful with port 0).
  uint16_t port() const;
  // The bound TLS port; 0 without TLS.
  uint16_t tls_port() const;

  // Serves until a stop is requested and drained. Installs SIGINT/SIGTERM
  // handlers for the duration.
  void Run();
  // Thread-safe; makes Run() begin a graceful drain.
  void RequestStop();

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace swasd::http

#endif  // SWASD_HTTP_SERVER_H_
