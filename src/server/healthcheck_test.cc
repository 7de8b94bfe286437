#include "server/healthcheck.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "http/server.h"

namespace swasd::server {
namespace {

using std::chrono::milliseconds;

// A server on a free loopback port answering /healthz with `status`.
class Served {
 public:
  explicit Served(int status) {
    http::ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    auto s = http::Server::Start(
        o,
        [status](http::HttpRequest&& r, http::Responder responder) {
          http::HttpResponse resp;
          resp.status = r.target == "/healthz" && r.method == "GET" ? status : 404;
          resp.body = "{\"Status\":\"" + std::to_string(resp.status) + "\"}\n";
          responder.Reply(std::move(resp));
        },
        [](int status, std::string_view) {
          http::HttpResponse resp;
          resp.status = status;
          return resp;
        });
    EXPECT_TRUE(s.ok()) << s.error().message();
    server_ = std::move(s).value();
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~Served() {
    server_->RequestStop();
    thread_.join();
  }
  uint16_t port() const { return server_->port(); }

 private:
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

// A loopback socket bound to a free port; listening or not.
class Socket {
 public:
  explicit Socket(bool listening) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    if (listening) {
      EXPECT_EQ(::listen(fd_, 4), 0);
    }
  }
  ~Socket() { ::close(fd_); }
  uint16_t port() const { return port_; }

 private:
  int fd_;
  uint16_t port_;
};

TEST(HealthCheckTest, WildcardListenHostsAreCheckedOnLoopback) {
  EXPECT_EQ(HealthCheckHost("0.0.0.0"), "127.0.0.1");
  EXPECT_EQ(HealthCheckHost("::"), "::1");
  EXPECT_EQ(HealthCheckHost("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(HealthCheckHost("10.1.2.3"), "10.1.2.3");
  EXPECT_EQ(HealthCheckHost("localhost"), "localhost");
}

TEST(HealthCheckTest, TwoHundredIsHealthy) {
  Served server(200);
  HealthResult r = CheckHealth("127.0.0.1", server.port(), milliseconds(2000));
  EXPECT_TRUE(r.healthy) << r.line;
  EXPECT_EQ(r.line, "healthy: GET http://127.0.0.1:" + std::to_string(server.port()) +
                        "/healthz 200 {\"Status\":\"200\"} ");
}

TEST(HealthCheckTest, UnavailableStoreIsUnhealthy) {
  Served server(503);
  HealthResult r = CheckHealth("127.0.0.1", server.port(), milliseconds(2000));
  EXPECT_FALSE(r.healthy);
  EXPECT_NE(r.line.find("unhealthy: GET http://127.0.0.1:"), std::string::npos) << r.line;
  EXPECT_NE(r.line.find(" 503 "), std::string::npos) << r.line;
}

TEST(HealthCheckTest, NothingListeningIsUnhealthy) {
  Socket bound(/*listening=*/false);  // a port nobody listens on
  HealthResult r = CheckHealth("127.0.0.1", bound.port(), milliseconds(2000));
  EXPECT_FALSE(r.healthy);
  EXPECT_NE(r.line.find("connect: Connection refused"), std::string::npos) << r.line;
}

TEST(HealthCheckTest, SilentPeerTimesOut) {
  Socket silent(/*listening=*/true);  // the kernel accepts; nobody answers
  auto t0 = std::chrono::steady_clock::now();
  HealthResult r = CheckHealth("127.0.0.1", silent.port(), milliseconds(300));
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_FALSE(r.healthy);
  EXPECT_NE(r.line.find("no answer within 300 ms"), std::string::npos) << r.line;
  EXPECT_LT(took, std::chrono::seconds(2));
}

TEST(HealthCheckTest, PortZeroIsRefusedWithoutConnecting) {
  HealthResult r = CheckHealth("127.0.0.1", 0, milliseconds(100));
  EXPECT_FALSE(r.healthy);
  EXPECT_NE(r.line.find("port is 0"), std::string::npos) << r.line;
}

TEST(HealthCheckTest, Ipv6HostsAreBracketed) {
  HealthResult r = CheckHealth("::1", 0, milliseconds(100));
  EXPECT_NE(r.line.find("http://[::1]:0/healthz"), std::string::npos) << r.line;
}

}  // namespace
}  // namespace swasd::server
