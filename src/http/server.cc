#include "http/server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
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

class Session;

class Server::Impl {
 public:
  Impl(const ServerOptions& o, Handler h, TransportErrorRenderer r)
      : opts(o),
        handler(std::move(h)),
        render_error(std::move(r)),
        ioc(o.io_threads),
        workers(static_cast<size_t>(o.worker_threads)),
        control(net::make_strand(ioc)),
        acceptor(control),
        signals(control, SIGINT, SIGTERM),
        retry_timer(control),
        drain_timer(control) {}

  void DoAccept();
  void BeginDrain();
  void CheckDrained();

  void Register(Session* s, std::weak_ptr<Session> w) EXCLUDES(sessions_mu) {
    MutexLock lock(&sessions_mu);
    sessions.emplace(s, std::move(w));
  }
  void Unregister(Session* s) EXCLUDES(sessions_mu) {
    MutexLock lock(&sessions_mu);
    sessions.erase(s);
  }

  ServerOptions opts;
  Handler handler;
  TransportErrorRenderer render_error;
  net::io_context ioc;
  net::thread_pool workers;
  // The acceptor, signals and timers are not thread-safe and ioc runs on
  // several threads: every handler touching them (accept, drain, signals,
  // RequestStop) runs on this one strand. (A data race between an accept
  // completion and BeginDrain's acceptor.close() was found by TSan.)
  net::strand<net::io_context::executor_type> control;
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer retry_timer;
  net::steady_timer drain_timer;
  std::chrono::steady_clock::time_point drain_deadline;
  std::atomic<int> connections{0};
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};
  Mutex sessions_mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions
      GUARDED_BY(sessions_mu);
};

// One connection: read a request under limits, hand it to the worker pool,
// write the answer, repeat while keep-alive holds. All socket work runs on
// the connection's strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Server::Impl& server)
      : stream_(std::move(socket)), server_(server) {
    ++server_.connections;
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ip_ = ep.address().to_string();
  }
  ~Session() {
    server_.Unregister(this);
    --server_.connections;
  }

  void Start() {
    server_.Register(this, weak_from_this());
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoRead,
                                            shared_from_this()));
  }

  // Closes the connection if it is waiting for a next request; a busy one
  // closes after its answer is written (keep-alive is off while draining).
  void CloseIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) self->DoClose();
    });
  }

 private:
  void DoRead() {
    if (server_.draining) return DoClose();
    parser_.emplace();
    parser_->header_limit(server_.opts.header_limit);
    parser_->body_limit(server_.opts.body_limit);
    stream_.expires_after(server_.opts.request_timeout);
    idle_ = true;
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead,
                                                shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    idle_ = false;
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof ||
        ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::bad_descriptor) {
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
    bool keep_alive = req.keep_alive();
    unsigned version = req.version();

    ++server_.in_flight;
    // Handlers block on the store: run them on the worker pool and come
    // back to this connection's strand to write.
    net::post(server_.workers, [self = shared_from_this(), hr = std::move(hr),
                                keep_alive, version]() mutable {
      HttpResponse resp;
      try {
        resp = self->server_.handler(hr);
      } catch (const std::exception& e) {
        spdlog::error("handler threw: {}", e.what());
        resp = self->server_.render_error(500, "internal error");
      }
      net::post(self->stream_.get_executor(),
                [self, resp = std::move(resp), keep_alive, version]() mutable {
                  self->Write(std::move(resp), keep_alive, version);
                  --self->server_.in_flight;
                });
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
    stream_.expires_after(server_.opts.request_timeout);
    bhttp::async_write(stream_, *res,
                       beast::bind_front_handler(&Session::OnWrite,
                                                 shared_from_this(),
                                                 res->keep_alive()));
  }

  void OnWrite(bool keep_alive, beast::error_code ec, std::size_t) {
    res_.reset();
    if (ec || !keep_alive) return DoClose();
    DoRead();
  }

  void DoClose() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<void> res_;
  std::string remote_ip_;
  bool idle_ = false;
};

void Server::Impl::DoAccept() {
  acceptor.async_accept(
      net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (!acceptor.is_open() || draining) return;
        if (ec) {
          // Transient (e.g. out of descriptors): log, back off, keep going.
          spdlog::warn("accept: {}", ec.message());
          retry_timer.expires_after(std::chrono::milliseconds(50));
          retry_timer.async_wait([this](beast::error_code) { DoAccept(); });
          return;
        }
        if (connections >= opts.max_connections) {
          beast::error_code ignored;
          socket.close(ignored);
        } else {
          std::make_shared<Session>(std::move(socket), *this)->Start();
        }
        DoAccept();
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
  std::vector<std::shared_ptr<Session>> live;
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

Result<std::unique_ptr<Server>> Server::Start(
    const ServerOptions& options, Handler handler,
    TransportErrorRenderer render_error) {
  auto impl = std::make_unique<Impl>(options, std::move(handler),
                                     std::move(render_error));
  beast::error_code ec;
  auto address = net::ip::make_address(options.host, ec);
  if (ec) {
    return Error("InvalidListenAddress", 0,
                 "cannot parse listen host '" + options.host + "': " +
                     ec.message());
  }
  tcp::endpoint endpoint(address, options.port);
  auto& acc = impl->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error("ListenFailed", 0,
                 "cannot listen on " + options.host + ":" +
                     std::to_string(options.port) + ": " + ec.message());
  }
  impl->DoAccept();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  impl_->ioc.stop();
  impl_->workers.join();
}

uint16_t Server::port() const {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
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
  impl_->workers.join();
}

void Server::RequestStop() {
  net::post(impl_->control, [this] { impl_->BeginDrain(); });
}

}  // namespace swasd::http
