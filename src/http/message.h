// Transport-neutral HTTP request/response values. The http layer fills an
// HttpRequest from the wire and writes an HttpResponse back; everything
// above it (gateway, products) sees only these types, never a socket.
#ifndef SWASD_HTTP_MESSAGE_H_
#define SWASD_HTTP_MESSAGE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace swasd::http {

struct HttpRequest {
  std::string method;  // as sent, e.g. "POST"
  std::string target;  // request-target, e.g. "/?Action=X"
  // Header names lower-cased, in arrival order. Repeated headers stay
  // separate entries.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_ip;
  bool secure = false;  // arrived over TLS (ServerOptions::tls_cert_file)

  // First value of header `lower_name`, or nullptr.
  const std::string* Header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers) {
      if (k == lower_name) return &v;
    }
    return nullptr;
  }
  // How many times header `lower_name` occurs.
  size_t HeaderCount(std::string_view lower_name) const {
    size_t n = 0;
    for (const auto& [k, v] : headers) n += (k == lower_name);
    return n;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json;charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // False asks the transport to close the connection after this response.
  bool keep_alive = true;
};

}  // namespace swasd::http

#endif  // SWASD_HTTP_MESSAGE_H_
