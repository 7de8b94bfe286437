#include "tools/swasctl/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <optional>

#include "tools/swasctl/credentials.h"

namespace swasd::swasctl {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

constexpr size_t kBodyLimit = 64u << 20;

bool AllDigits(std::string_view s) {
  if (s.empty() || s.size() > 5) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Error TransportError(std::string what, const beast::error_code& ec) {
  return Error("swasctl.Transport", 0, what + ": " + ec.message());
}

}  // namespace

Result<Endpoint> ParseEndpoint(std::string_view text) {
  const std::string original(text);
  Endpoint e;
  if (text.starts_with("https://")) {
    e.tls = true;
    text.remove_prefix(8);
  } else if (text.starts_with("http://")) {
    text.remove_prefix(7);
  }
  if (text.ends_with("/")) text.remove_suffix(1);
  if (text.empty() || text.find_first_of("/?#@ \t\r\n") != text.npos) {
    return UsageError("endpoint " + original +
                      " is not host[:port] or http://host[:port]");
  }
  e.authority = std::string(text);
  std::string_view port;
  if (text.front() == '[') {  // [v6] or [v6]:port
    size_t close = text.find(']');
    if (close == text.npos) return UsageError("endpoint " + original + ": no ]");
    e.host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return UsageError("endpoint " + original);
      port = rest.substr(1);
    }
  } else {
    size_t colon = text.rfind(':');
    e.host = std::string(text.substr(0, colon));
    if (colon != text.npos) port = text.substr(colon + 1);
  }
  if (e.host.empty()) return UsageError("endpoint " + original + ": no host");
  if (port.data() != nullptr && !AllDigits(port)) {
    return UsageError("endpoint " + original + ": the port is not a number");
  }
  e.port = port.data() != nullptr ? std::string(port) : e.tls ? "443" : "80";
  return e;
}

Result<HttpAnswer> Exchange(const Endpoint& endpoint, std::string_view method,
                            const protocol::SignedRequest& request,
                            std::chrono::milliseconds deadline) {
  http::verb verb = http::string_to_verb(
      boost::beast::string_view(method.data(), method.size()));
  if (verb == http::verb::unknown) {
    return UsageError("unknown HTTP method " + std::string(method));
  }
  http::request<http::string_body> req{verb, request.target, 11};
  for (const auto& [name, value] : request.headers) req.set(name, value);
  req.set(http::field::user_agent, "swasctl");
  req.body() = request.body;
  req.prepare_payload();

  asio::io_context ioc;
  ssl::context ctx(ssl::context::tls_client);
  beast::error_code ec;
  if (endpoint.tls) {
    ctx.set_default_verify_paths(ec);  // honours SSL_CERT_FILE/SSL_CERT_DIR
    if (ec) return TransportError("loading the trusted CAs", ec);
    ctx.set_verify_mode(ssl::verify_peer);
  }
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  beast::tcp_stream& tcp = beast::get_lowest_layer(stream);
  if (endpoint.tls) {
    boost::system::error_code not_ip;
    asio::ip::make_address(endpoint.host, not_ip);
    // SNI for a DNS name (RFC 6066 forbids it for an address literal).
    if (not_ip && !SSL_set_tlsext_host_name(stream.native_handle(),
                                           endpoint.host.c_str())) {
      return Error("swasctl.Transport", 0, "cannot set the TLS server name");
    }
    // host_name_verification matches a DNS name or an IP address SAN.
    stream.set_verify_callback(ssl::host_name_verification(endpoint.host));
  }
  tcp::resolver resolver(ioc);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kBodyLimit);
  std::optional<Error> failure;

  // One chain of asynchronous steps, so that the stream's deadline bounds
  // connecting, the TLS handshake, writing and reading alike. The steps
  // are written once for both streams.
  auto exchange = [&](auto& s) {
    http::async_write(s, req, [&](beast::error_code ec, size_t) {
      if (ec) {
        failure = TransportError("sending the request", ec);
        return;
      }
      http::async_read(s, buffer, parser, [&](beast::error_code ec, size_t) {
        if (ec) failure = TransportError("reading the answer", ec);
      });
    });
  };
  tcp.expires_after(deadline);
  resolver.async_resolve(
      endpoint.host, endpoint.port,
      [&](beast::error_code ec, tcp::resolver::results_type results) {
        if (ec) {
          failure = TransportError("resolving " + endpoint.host, ec);
          return;
        }
        tcp.async_connect(results, [&](beast::error_code ec,
                                       const tcp::endpoint&) {
          if (ec) {
            failure = TransportError("connecting to " + endpoint.authority, ec);
            return;
          }
          if (!endpoint.tls) {
            exchange(tcp);
            return;
          }
          stream.async_handshake(ssl::stream_base::client,
                                 [&](beast::error_code ec) {
                                   if (ec) {
                                     failure = TransportError(
                                         "TLS handshake with " +
                                             endpoint.authority,
                                         ec);
                                     return;
                                   }
                                   exchange(stream);
                                 });
        });
      });
  ioc.run();
  if (failure) return *failure;

  tcp.socket().shutdown(tcp::socket::shutdown_both, ec);
  HttpAnswer answer;
  const auto& res = parser.get();
  answer.status = res.result_int();
  answer.content_type = std::string(res[http::field::content_type]);
  answer.body = res.body();
  return answer;
}

}  // namespace swasd::swasctl
