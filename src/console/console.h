// The web console at /console (docs/console.md): static files embedded in
// the binary (console/*), and /console/model.json, the API model the
// explorer builds its forms from. Nothing here is signed or privileged: the
// page signs every API call itself (V3, Web Crypto) and sends it to the
// ordinary API endpoint, so authentication and RAM apply as for any SDK.
//
//   GET /console            308 to /console/ (the modules are relative)
//   GET /console/           index.html
//   GET /console/<file>     an embedded file; 404 for any other name
//   GET /console/model.json the explorer's model (ExplorerModel)
// Other methods on these paths: 405 with Allow: GET. Every answer carries a
// strict Content-Security-Policy (no inline script or style, same origin
// only), nosniff, no referrer; files are revalidated by ETag
// (If-None-Match -> 304).
#ifndef SWASD_CONSOLE_CONSOLE_H_
#define SWASD_CONSOLE_CONSOLE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/registry.h"
#include "http/message.h"

namespace swasd::console {

struct Asset {
  std::string_view name;     // "app.js"
  std::string_view content;  // the file's bytes
  std::string_view sha256;   // hex, the ETag
};

// console/* as embedded at build time (embedded.cc.in).
const std::vector<Asset>& EmbeddedAssets();

// The Content-Security-Policy of every /console answer.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

// The content type for a file name by its extension; octet-stream if unknown.
std::string_view ContentType(std::string_view name);

// The registry's operation table (Registry::Describe(), what
// `swasd --dump-operations` prints: the operations the server routes by),
// plus per product "NotImplemented": the SDK model's actions that swasd
// does not serve, and the products only the model knows, with no
// operations. One source, so the explorer cannot drift from the server.
gateway::Json ExplorerModel(const gateway::Registry& registry);

class Handler {
 public:
  Handler(std::vector<Asset> assets, std::string model_json);

  // The answer when `req` is under /console; nullopt otherwise.
  std::optional<http::HttpResponse> Handle(const http::HttpRequest& req) const;

 private:
  std::vector<Asset> assets_;
  std::string model_json_;
  std::string model_etag_;
};

}  // namespace swasd::console

#endif  // SWASD_CONSOLE_CONSOLE_H_
