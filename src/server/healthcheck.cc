#include "server/healthcheck.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace swasd::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

std::string HealthCheckHost(std::string_view listen_host) {
  if (listen_host == "0.0.0.0" || listen_host.empty()) return "127.0.0.1";
  if (listen_host == "::" || listen_host == "[::]") return "::1";
  return std::string(listen_host);
}

HealthResult CheckHealth(const std::string& host, uint16_t port,
                         std::chrono::milliseconds timeout) {
  const bool v6 = host.find(':') != std::string::npos;
  const std::string authority = (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
  const std::string url = "http://" + authority + "/healthz";
  HealthResult result;
  auto fail = [&](std::string_view why) {
    result.healthy = false;
    result.line = "unhealthy: GET " + url + ": " + std::string(why);
    return result;
  };
  if (port == 0) return fail("the listen port is 0 (any free port): nothing to connect to");

  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/healthz", 11};
  req.set(bhttp::field::host, authority);
  req.set(bhttp::field::user_agent, "swasd-healthcheck");
  req.set(bhttp::field::connection, "close");
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024);
  beast::error_code error;
  std::string stage;

  // One deadline for the whole exchange: the stream's timer covers the
  // connect, the write and the read in turn.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto left = [&] {
    return std::max(std::chrono::steady_clock::duration::zero(),
                    deadline - std::chrono::steady_clock::now());
  };
  resolver.async_resolve(
      host, std::to_string(port),
      [&](beast::error_code ec, tcp::resolver::results_type endpoints) {
        if (ec) { error = ec; stage = "resolve"; return; }
        stream.expires_after(left());
        stream.async_connect(endpoints, [&](beast::error_code ec, const tcp::endpoint&) {
          if (ec) { error = ec; stage = "connect"; return; }
          stream.expires_after(left());
          bhttp::async_write(stream, req, [&](beast::error_code ec, size_t) {
            if (ec) { error = ec; stage = "send"; return; }
            stream.expires_after(left());
            bhttp::async_read(stream, buffer, parser, [&](beast::error_code ec, size_t) {
              if (ec) { error = ec; stage = "read"; }
            });
          });
        });
      });
  // The resolver has no timer of its own; a numeric host resolves at once.
  ioc.run_for(timeout + std::chrono::milliseconds(100));
  if (!ioc.stopped()) return fail("no answer within " + std::to_string(timeout.count()) + " ms");
  if (error) {
    if (error == beast::error::timeout) {
      return fail(stage + ": no answer within " + std::to_string(timeout.count()) + " ms");
    }
    return fail(stage + ": " + error.message());
  }
  const auto& res = parser.get();
  std::string body = res.body();
  for (char& c : body) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (body.size() > 200) body = body.substr(0, 200) + "...";
  result.healthy = res.result_int() == 200;
  result.line = std::string(result.healthy ? "healthy" : "unhealthy") + ": GET " + url + " " +
                std::to_string(res.result_int()) + " " + body;
  return result;
}

}  // namespace swasd::server
