// The HTTP/1.1 transport: a listener that accepts connections, sessions
// that read requests under limits and timeouts, and a handler that turns
// an HttpRequest into an HttpResponse. The handler is called on the
// connection's I/O thread and answers through a Responder, at once or
// later from any thread: the transport never waits for an answer, and a
// handler that must block hands its work to a WorkerPool.
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

class Exchange;

// Completes one request. Copyable; Reply must be called exactly once, from
// any thread. A request whose Responders are all dropped unanswered closes
// its connection (nothing else could be written on it in order).
class Responder {
 public:
  explicit Responder(std::shared_ptr<Exchange> exchange)
      : exchange_(std::move(exchange)) {}
  // Writes `response` on the connection's own I/O thread.
  void Reply(HttpResponse response) const;
  // The same, `delay` later (a timer on that thread; no thread waits).
  void ReplyAfter(std::chrono::milliseconds delay, HttpResponse response) const;
  // Runs `fn` on the connection's own I/O thread (e.g. logging beside the
  // reply, off the thread that produced it).
  void Post(std::function<void()> fn) const;

 private:
  std::shared_ptr<Exchange> exchange_;
};

// Called on the connection's I/O thread for every complete request; must
// not block for long (use a WorkerPool) and must not throw (the server
// answers 500 if it does).
using Handler = std::function<void(HttpRequest&& request, Responder responder)>;

// Threads for work that blocks (a store without asynchronous writes).
class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  ~WorkerPool();  // joins
  void Post(std::function<void()> task);
  // Waits for the queued and running tasks; later Posts are not run.
  void Join();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

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
