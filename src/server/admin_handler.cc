#include "server/admin_handler.h"

#include <chrono>
#include <string>
#include <string_view>

namespace swasd::server {

std::optional<http::HttpResponse> AdminHandler::Handle(
    const http::HttpRequest& req) const {
  constexpr std::string_view kAdvance = "/_test/clock/advance?seconds=";
  if (test_clock_ != nullptr && req.method == "POST" &&
      req.target.starts_with(kAdvance)) {
    http::HttpResponse r;
    try {
      test_clock_->Advance(std::chrono::seconds(
          std::stoll(req.target.substr(kAdvance.size()))));
      r.body = "{\"OffsetMs\":" + std::to_string(test_clock_->offset_ms()) + "}";
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
             "\",\"Backend\":\"" + std::string(store_->Backend()) + "\"}";
    return r;
  }
  return std::nullopt;
}

}  // namespace swasd::server
