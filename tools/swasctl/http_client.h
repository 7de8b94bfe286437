// The one HTTP exchange `swasctl call` makes: a signed request over plain
// HTTP/1.1 (Boost.Beast), one connection, bounded by a deadline.
#ifndef SWASD_TOOLS_SWASCTL_HTTP_CLIENT_H_
#define SWASD_TOOLS_SWASCTL_HTTP_CLIENT_H_

#include <chrono>
#include <string>
#include <string_view>

#include "base/error.h"
#include "protocol/signer.h"

namespace swasd::swasctl {

struct Endpoint {
  bool tls = false;       // https://
  std::string host;       // for the resolver: "127.0.0.1", "::1"
  std::string port;       // "8080"
  std::string authority;  // the Host header, which V3 signs: "127.0.0.1:8080"
};

// Accepts "host", "host:port", "[v6]:port", each optionally after
// "http://" or "https://" and before one "/". The Host header is the
// authority as written (the SDKs send the endpoint they were given); the
// port defaults to 80, or 443 for https.
Result<Endpoint> ParseEndpoint(std::string_view text);

struct HttpAnswer {
  int status = 0;
  std::string content_type;
  std::string body;
};

// Sends `request` (its target, headers and body) with `method` and reads
// the answer. Over https the server's certificate must chain to a CA
// OpenSSL trusts by default -- the system store, or the file named by
// $SSL_CERT_FILE (a private CA such as swasd's test one) -- and name the
// endpoint's host (DNS name or IP address). Errors (resolve, connect, TLS,
// I/O, the deadline, an answer over 64 MiB) carry the cause in the message.
Result<HttpAnswer> Exchange(const Endpoint& endpoint, std::string_view method,
                            const protocol::SignedRequest& request,
                            std::chrono::milliseconds deadline);

}  // namespace swasd::swasctl

#endif  // SWASD_TOOLS_SWASCTL_HTTP_CLIENT_H_
