#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

namespace swasd::http {
namespace {

// A running server on a free loopback port, echoing method and target.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.header_limit = 4096;
    o.body_limit = 1024;
    o.request_timeout = std::chrono::milliseconds(2000);
    auto s = Server::Start(
        o,
        [this](HttpRequest&& r, Responder responder) {
          ++handled_;
          HttpResponse resp;
          resp.body = r.method + " " + r.target + " " + r.body;
          if (const auto* h = r.Header("x-test")) resp.body += " " + *h;
          if (r.Header("x-drop") != nullptr) return;  // never answered
          if (r.Header("x-later") != nullptr) {
            // Answered from another thread, after the handler returned.
            std::thread([responder, resp]() mutable {
              std::this_thread::sleep_for(std::chrono::milliseconds(50));
              responder.Reply(std::move(resp));
            }).detach();
            return;
          }
          responder.Reply(std::move(resp));
        },
        [](int status, std::string_view reason) {
          HttpResponse resp;
          resp.status = status;
          resp.body = "transport " + std::to_string(status);
          return resp;
        });
    ASSERT_TRUE(s.ok()) << s.error().message();
    server_ = std::move(s).value();
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    server_->RequestStop();
    thread_.join();
  }

  // Sends raw bytes on a new connection and reads until the peer closes or
  // `min_responses` HTTP status lines have arrived.
  std::string Exchange(const std::string& bytes, int min_responses = 1) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server_->port());
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(send(fd, bytes.data(), bytes.size(), 0),
              static_cast<ssize_t>(bytes.size()));
    timeval tv{3, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string out;
    char buf[4096];
    while (true) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
      int seen = 0;
      for (size_t p = 0; (p = out.find("HTTP/1.1 ", p)) != std::string::npos; ++p) ++seen;
      if (seen >= min_responses && out.find("\r\n\r\n") != std::string::npos &&
          out.rfind("Connection: close") == std::string::npos) {
        // Keep-alive answers: stop once we have what we wanted and the last
        // body is complete (bodies here are short).
        if (out.size() > 0 && seen >= min_responses) break;
      }
    }
    close(fd);
    return out;
  }

  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::atomic<int> handled_{0};
};

TEST_F(ServerTest, AnswersAndKeepsAlive) {
  std::string out = Exchange(
      "GET /?a=1 HTTP/1.1\r\nHost: x\r\nX-Test: hi\r\n\r\n"
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
      2);
  EXPECT_NE(out.find("200 OK"), std::string::npos) << out;
  EXPECT_NE(out.find("GET /?a=1  hi"), std::string::npos) << out;
  EXPECT_NE(out.find("POST / abc"), std::string::npos) << out;
  EXPECT_EQ(handled_.load(), 2);
}

TEST_F(ServerTest, AnswersFromAnotherThreadInOrder) {
  // The first answer comes later, from another thread; the second request
  // on the connection is read only after it, so answers stay in order.
  std::string out = Exchange(
      "GET /first HTTP/1.1\r\nHost: x\r\nX-Later: 1\r\n\r\n"
      "GET /second HTTP/1.1\r\nHost: x\r\n\r\n",
      2);
  size_t first = out.find("GET /first");
  size_t second = out.find("GET /second");
  ASSERT_NE(first, std::string::npos) << out;
  ASSERT_NE(second, std::string::npos) << out;
  EXPECT_LT(first, second);
}

TEST_F(ServerTest, AnUnansweredRequestClosesItsConnection) {
  std::string out = Exchange("GET / HTTP/1.1\r\nHost: x\r\nX-Drop: 1\r\n\r\n");
  EXPECT_EQ(out, "");  // closed, nothing written
  out = Exchange("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(out.find("200 OK"), std::string::npos) << out;
}

TEST_F(ServerTest, OversizeHeaderIs431) {
  std::string out = Exchange("GET /?" + std::string(8000, 'a') +
                             " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(out.find("431"), std::string::npos) << out;
  EXPECT_NE(out.find("transport 431"), std::string::npos);
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(ServerTest, OversizeBodyIs413) {
  std::string out = Exchange(
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" +
      std::string(5000, 'b'));
  EXPECT_NE(out.find("413"), std::string::npos) << out;
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(ServerTest, GarbageIs400AndServerKeepsServing) {
  std::string out = Exchange("\x01\x02garbage\r\n\r\n");
  EXPECT_NE(out.find("400"), std::string::npos) << out;
  out = Exchange("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(out.find("200 OK"), std::string::npos) << out;
}

// TLS files are checked at Start: a server never runs with a TLS listener
// that cannot complete a handshake. (tests/e2e/ops_tls.test.js drives
// real HTTPS through the official SDK.)
TEST(ServerTlsTest, UnreadableCertificateOrKeyFailsStart) {
  auto handler = [](HttpRequest&&, Responder r) { r.Reply(HttpResponse{}); };
  auto render = [](int status, std::string_view) {
    HttpResponse r;
    r.status = status;
    return r;
  };
  ServerOptions o;
  o.port = 0;
  o.tls_port = 0;
  o.tls_cert_file = "/nonexistent/swasd.crt";
  o.tls_key_file = "/nonexistent/swasd.key";
  auto s = Server::Start(o, handler, render);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find(
                "cannot load the TLS certificate chain '/nonexistent/swasd.crt'"),
            std::string::npos)
      << s.error().message();

  // Without TLS there is no TLS port.
  o.tls_cert_file.clear();
  auto plain = Server::Start(o, handler, render);
  ASSERT_TRUE(plain.ok()) << plain.error().message();
  EXPECT_EQ((*plain)->tls_port(), 0);
  EXPECT_NE((*plain)->port(), 0);
}

}  // namespace
}  // namespace swasd::http
