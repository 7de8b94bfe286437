#include "http/server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/thread_annotations.h"

namespace swasd::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;
namespace ssl = boost::asio::ssl;

// What the server needs of a connection, whatever its stream.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Closes the connection if it is waiting for a next request; a busy one
  // closes after its answer is written (keep-alive is off while draining).
  virtual void CloseIfIdle() = 0;
  // Writes the answer to the request in flight, on the session's strand,
  // `delay` from now (zero: at once).
  virtual void Deliver(HttpResponse response, bool keep_alive, unsigned version,
                       std::chrono::milliseconds delay) = 0;
  // Runs fn on the session's strand.
  virtual void Post(std::function<void()> fn) = 0;
  // The request in flight will not be answered: close.
  virtual void Abandon() = 0;
};

// The request in flight on a session, until answered.
class Exchange {
 public:
  Exchange(std::shared_ptr<SessionBase> session, bool keep_alive, unsigned version)
      : session_(std::move(session)), keep_alive_(keep_alive), version_(version) {}
  ~Exchange() {
    if (!replied_.load()) session_->Abandon();
  }
  void Reply(HttpResponse response, std::chrono::milliseconds delay) {
    if (replied_.exchange(true)) return;
    session_->Deliver(std::move(response), keep_alive_, version_, delay);
  }
  void Post(std::function<void()> fn) { session_->Post(std::move(fn)); }

 private:
  std::shared_ptr<SessionBase> session_;
  const bool keep_alive_;
  const unsigned version_;
  std::atomic<bool> replied_{false};
};

void Responder::Reply(HttpResponse response) const {
  exchange_->Reply(std::move(response), std::chrono::milliseconds(0));
}

void Responder::ReplyAfter(std::chrono::milliseconds delay, HttpResponse response) const {
  exchange_->Reply(std::move(response), delay);
}

void Responder::Post(std::function<void()> fn) const {
  exchange_->Post(std::move(fn));
}

struct WorkerPool::Impl {
  explicit Impl(int threads) : pool(static_cast<size_t>(threads)) {}
  net::thread_pool pool;
};

WorkerPool::WorkerPool(int threads) : impl_(std::make_unique<Impl>(threads)) {}
WorkerPool::~WorkerPool() { impl_->pool.join(); }
void WorkerPool::Post(std::function<void()> task) {
  net::post(impl_->pool, std::move(task));
}
void WorkerPool::Join() { impl_->pool.join(); }

class Server::Impl {
 public:
  Impl(const ServerOptions& o, Handler h, TransportErrorRenderer r)
      : opts(o),
        handler(std::move(h)),
        render_error(std::move(r)),
        ioc(o.io_threads),
        control(net::make_strand(ioc)),
        acceptor(control),
        tls_acceptor(control),
        tls_context(ssl::context::tls_server),
        signals(control, SIGINT, SIGTERM),
        retry_timer(control),
        drain_timer(control) {}

  // Accepts on `acc`; tls: its connections speak TLS.
  void DoAccept(tcp::acceptor& acc, bool tls);
  void BeginDrain();
  void CheckDrained();

  void Register(SessionBase* s, std::weak_ptr<SessionBase> w)
      EXCLUDES(sessions_mu) {
    MutexLock lock(&sessions_mu);
    sessions.emplace(s, std::move(w));
  }
  void Unregister(SessionBase* s) EXCLUDES(sessions_mu) {
    MutexLock lock(&sessions_mu);
    sessions.erase(s);
  }

  ServerOptions opts;
  Handler handler;
  TransportErrorRenderer render_error;
  net::io_context ioc;
  // The acceptor, signals and timers are not thread-safe and ioc runs on
  // several threads: every handler touching them (accept, drain, signals,
  // RequestStop) runs on this one strand. (A data race between an accept
  // completion and BeginDrain's acceptor.close() was found by TSan.)
  net::strand<net::io_context::executor_type> control;
  tcp::acceptor acceptor;
  tcp::acceptor tls_acceptor;  // open only with TLS
  ssl::context tls_context;    // read-only once Start() configured it
  net::signal_set signals;
  net::steady_timer retry_timer;
  net::steady_timer drain_timer;
  std::chrono::steady_clock::time_point drain_deadline;
  std::atomic<int> connections{0};
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};
  Mutex sessions_mu;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions
      GUARDED_BY(sessions_mu);
};

// One connection: read a request under limits, hand it to the handler,
// write its answer when it comes, repeat while keep-alive holds. All socket work runs on
// the connection's strand. Stream is beast::tcp_stream (HTTP) or
// ssl_stream over it (HTTPS: a handshake first, then the same loop).
template <class Stream>
class Session : public SessionBase,
                public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  Session(tcp::socket&& socket, Server::Impl& server)
      : stream_(MakeStream(std::move(socket), server)), server_(server) {
    ++server_.connections;
    beast::error_code ec;
    auto ep = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec) remote_ip_ = ep.address().to_string();
  }
  ~Session() override {
    server_.Unregister(this);
    --server_.connections;
  }

  void Start() {
    server_.Register(this, this->weak_from_this());
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoHandshake,
                                            this->shared_from_this()));
  }

  void CloseIfIdle() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->idle_) self->DoClose();
    });
  }

 private:
  static Stream MakeStream(tcp::socket&& socket, Server::Impl& server) {
    if constexpr (kTls) {
      return Stream(std::move(socket), server.tls_context);
    } else {
      (void)server;
      return Stream(std::move(socket));
    }
  }

  void DoHandshake() {
    if constexpr (kTls) {
      idle_ = true;  // nothing asked yet: a drain may close it
      beast::get_lowest_layer(stream_).expires_after(
          server_.opts.tls_handshake_timeout);
      stream_.async_handshake(
          ssl::stream_base::server,
          [self = this->shared_from_this()](beast::error_code ec) {
            // A failed handshake (plain HTTP to the TLS port, an untrusted
            // certificate) is the client's to report; debug only.
            if (ec) {
              spdlog::debug("TLS handshake from {}: {}", self->remote_ip_,
                            ec.message());
              return self->DoClose();
            }
            self->DoRead();
          });
    } else {
      DoRead();
    }
  }

  void DoRead() {
    if (server_.draining) return DoClose();
    parser_.emplace();
    parser_->header_limit(server_.opts.header_limit);
    parser_->body_limit(server_.opts.body_limit);
    beast::get_lowest_layer(stream_).expires_after(server_.opts.request_timeout);
    idle_ = true;
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead,
                                                this->shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    idle_ = false;
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof ||
        ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::bad_descriptor ||
        ec == ssl::error::stream_truncated) {
      return DoClose();
    }
    if (ec) {
      int status = 400;
      if (ec == bhttp::error::header_limit) status = 431;
      if (ec == bhttp::error::body_limit) status = 413;
      HttpResponse resp = server_.render_error(status, ec.message());
      resp.keep_alive = false;
      return Write(std::move(resp), false, 11);
    }
    auto req = parser_->release();
    HttpRequest hr;
    hr.method = std::string(req.method_string());
    hr.target = std::string(req.target());
    hr.headers.reserve(16);
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (char& c : name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      hr.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    hr.body = std::move(req.body());
    hr.remote_ip = remote_ip_;
    hr.secure = kTls;
    bool keep_alive = req.keep_alive();
    unsigned version = req.version();

    ++server_.in_flight;
    Responder responder(std::make_shared<Exchange>(this->shared_from_this(),
                                                   keep_alive, version));
    try {
      server_.handler(std::move(hr), responder);
    } catch (const std::exception& e) {
      spdlog::error("handler threw: {}", e.what());
      responder.Reply(server_.render_error(500, "internal error"));
    }
  }

  void Deliver(HttpResponse response, bool keep_alive, unsigned version,
               std::chrono::milliseconds delay) override {
    auto write = [self = this->shared_from_this(), response = std::move(response), keep_alive,
                  version]() mutable {
      self->Write(std::move(response), keep_alive, version);
      --self->server_.in_flight;
    };
    if (delay.count() <= 0) return net::dispatch(stream_.get_executor(), std::move(write));
    // The connection reads nothing meanwhile (one request at a time), so
    // the timer needs no cancelling: a drain waits for it like for any
    // request in flight.
    auto timer = std::make_shared<net::steady_timer>(stream_.get_executor(), delay);
    timer->async_wait([timer, write = std::move(write)](beast::error_code) mutable { write(); });
  }

  void Post(std::function<void()> fn) override {
    net::dispatch(stream_.get_executor(), std::move(fn));
  }

  void Abandon() override {
    spdlog::error("a request was dropped unanswered; closing its connection");
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      --self->server_.in_flight;
      self->DoClose();
    });
  }

  void Write(HttpResponse resp, bool keep_alive, unsigned version) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(resp.status), version);
    res->set(bhttp::field::server, "swasd");
    res->set(bhttp::field::content_type, resp.content_type);
    for (auto& [k, v] : resp.headers) res->set(k, v);
    res->keep_alive(keep_alive && resp.keep_alive && !server_.draining);
    res->body() = std::move(resp.body);
    res->prepare_payload();
    res_ = res;
    beast::get_lowest_layer(stream_).expires_after(server_.opts.request_timeout);
    bhttp::async_write(stream_, *res,
                       beast::bind_front_handler(&Session::OnWrite,
                                                 this->shared_from_this(),
                                                 res->keep_alive()));
  }

  void OnWrite(bool keep_alive, beast::error_code ec, std::size_t) {
    res_.reset();
    if (ec || !keep_alive) return DoClose();
    DoRead();
  }

  // TLS connections close without a close_notify: every answer is
  // length-delimited, so a client cannot mistake the close for truncation.
  void DoClose() {
    beast::error_code ec;
    auto& socket = beast::get_lowest_layer(stream_).socket();
    socket.shutdown(tcp::socket::shutdown_send, ec);
    socket.close(ec);
  }

  Stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<void> res_;
  std::string remote_ip_;
  bool idle_ = false;
};

void Server::Impl::DoAccept(tcp::acceptor& acc, bool tls) {
  acc.async_accept(
      net::make_strand(ioc),
      [this, &acc, tls](beast::error_code ec, tcp::socket socket) {
        if (!acc.is_open() || draining) return;
        if (ec) {
          // Transient (e.g. out of descriptors): log, back off, keep going.
          spdlog::warn("accept: {}", ec.message());
          retry_timer.expires_after(std::chrono::milliseconds(50));
          retry_timer.async_wait(
              [this, &acc, tls](beast::error_code) { DoAccept(acc, tls); });
          return;
        }
        if (connections >= opts.max_connections) {
          beast::error_code ignored;
          socket.close(ignored);
        } else if (tls) {
          std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
              std::move(socket), *this)
              ->Start();
        } else {
          std::make_shared<Session<beast::tcp_stream>>(std::move(socket), *this)
              ->Start();
        }
        DoAccept(acc, tls);
      });
}

void Server::Impl::BeginDrain() {
  if (draining.exchange(true)) return;
  spdlog::info("draining: {} connection(s), {} request(s) in flight",
               connections.load(), in_flight.load());
  beast::error_code ec;
  acceptor.close(ec);
  signals.cancel(ec);
  retry_timer.cancel();
  tls_acceptor.close(ec);
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    MutexLock lock(&sessions_mu);
    for (auto& [p, w] : sessions) {
      if (auto s = w.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->CloseIfIdle();
  drain_deadline = std::chrono::steady_clock::now() + opts.drain_timeout;
  CheckDrained();
}

void Server::Impl::CheckDrained() {
  if ((in_flight == 0 && connections == 0) ||
      std::chrono::steady_clock::now() >= drain_deadline) {
    ioc.stop();
    return;
  }
  drain_timer.expires_after(std::chrono::milliseconds(20));
  drain_timer.async_wait([this](beast::error_code) { CheckDrained(); });
}

namespace {

// Opens, binds and listens `acc` on host:port.
Status Listen(tcp::acceptor& acc, const std::string& host, uint16_t port) {
  beast::error_code ec;
  auto address = net::ip::make_address(host, ec);
  if (ec) {
    return Error("InvalidListenAddress", 0,
                 "cannot parse listen host '" + host + "': " + ec.message());
  }
  tcp::endpoint endpoint(address, port);
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error("ListenFailed", 0,
                 "cannot listen on " + host + ":" + std::to_string(port) +
                     ": " + ec.message());
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(
    const ServerOptions& options, Handler handler,
    TransportErrorRenderer render_error) {
  auto impl = std::make_unique<Impl>(options, std::move(handler),
                                     std::move(render_error));
  beast::error_code ec;
  if (Status s = Listen(impl->acceptor, options.host, options.port); !s.ok()) {
    return std::move(s).error();
  }
  bool tls = !options.tls_cert_file.empty();
  if (tls) {
    auto& ctx = impl->tls_context;
    // TLS 1.2 and 1.3 only; OpenSSL's default ciphers for them.
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                    ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    ctx.use_certificate_chain_file(options.tls_cert_file, ec);
    if (ec) {
      return Error("TlsConfig", 0,
                   "cannot load the TLS certificate chain '" +
                       options.tls_cert_file + "': " + ec.message());
    }
    ctx.use_private_key_file(options.tls_key_file, ssl::context::pem, ec);
    if (ec) {
      return Error("TlsConfig", 0,
                   "cannot load the TLS private key '" + options.tls_key_file +
                       "': " + ec.message());
    }
    if (SSL_CTX_check_private_key(ctx.native_handle()) != 1) {
      return Error("TlsConfig", 0,
                   "the TLS private key '" + options.tls_key_file +
                       "' does not match the certificate '" +
                       options.tls_cert_file + "'");
    }
    if (Status s = Listen(impl->tls_acceptor, options.tls_host, options.tls_port);
        !s.ok()) {
      return std::move(s).error();
    }
  }
  impl->DoAccept(impl->acceptor, false);
  if (tls) impl->DoAccept(impl->tls_acceptor, true);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { impl_->ioc.stop(); }

uint16_t Server::port() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

uint16_t Server::tls_port() const {
  if (!impl_->tls_acceptor.is_open()) return 0;
  beast::error_code ec;
  return impl_->tls_acceptor.local_endpoint(ec).port();
}

void Server::Run() {
  impl_->signals.async_wait([this](beast::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("signal {} received, stopping", sig);
    impl_->BeginDrain();
  });
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->opts.io_threads; ++i) {
    threads.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->ioc.run();
  for (auto& t : threads) t.join();
}

void Server::RequestStop() {
  net::post(impl_->control, [this] { impl_->BeginDrain(); });
}

}  // namespace swasd::http
