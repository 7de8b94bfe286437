#include "server/admin_handler.h"

#include <chrono>
#include <string>
#include <string_view>

namespace swasd::server {

bool IsLoopbackAddress(std::string_view ip) {
  if (ip.starts_with("::ffff:")) ip.remove_prefix(7);
  return ip == "::1" || ip.starts_with("127.");
}

std::optional<http::HttpResponse> AdminHandler::Handle(
    const http::HttpRequest& req) const {
  constexpr std::string_view kAdvance = "/_test/clock/advance?seconds=";
  if (options_.test_clock != nullptr && req.method == "POST" &&
      req.target.starts_with(kAdvance)) {
    http::HttpResponse r;
    try {
      options_.test_clock->Advance(std::chrono::seconds(
          std::stoll(req.target.substr(kAdvance.size()))));
      r.body = "{\"OffsetMs\":" + std::to_string(options_.test_clock->offset_ms()) + "}";
    } catch (...) {
      r.status = 400;
      r.body = "{\"Code\":\"BadRequest\"}";
    }
    return r;
  }
  if (req.target == "/healthz" && req.method == "GET") {
    http::HttpResponse r;
    Status s = store_->Read([](store::Tx&) { return Status::Ok(); });
    r.status = s.ok() ? 200 : 503;
    r.body = std::string("{\"Status\":\"") + (s.ok() ? "OK" : "Unavailable") +
             "\",\"Backend\":\"" + std::string(store_->Backend()) +
             "\",\"Durable\":" + (store_->Durable() ? "true" : "false") +
             ",\"Version\":\"" + options_.version + "\"}";
    return r;
  }
  if (options_.metrics && req.method == "GET" &&
      (req.target == "/metrics" || req.target.starts_with("/metrics?"))) {
    http::HttpResponse r;
    if (!options_.metrics_public && !IsLoopbackAddress(req.remote_ip)) {
      r.status = 403;
      r.body =
          "{\"Code\":\"Forbidden\",\"Message\":\"/metrics is served to loopback "
          "clients only; start swasd with --metrics-public to serve it to "
          "everyone.\"}";
      return r;
    }
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = options_.metrics();
    return r;
  }
  return std::nullopt;
}

}  // namespace swasd::server
