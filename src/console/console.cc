#include "console/console.h"

#include <algorithm>
#include <set>

#include "apimodel/apimodel.h"
#include "base/crypto.h"

namespace swasd::console {

namespace {

constexpr std::string_view kPrefix = "/console";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

http::HttpResponse Base(int status) {
  http::HttpResponse r;
  r.status = status;
  r.headers = {{"Content-Security-Policy", std::string(kContentSecurityPolicy)},
               {"X-Content-Type-Options", "nosniff"},
               {"Referrer-Policy", "no-referrer"},
               {"X-Frame-Options", "DENY"}};
  return r;
}

http::HttpResponse Text(int status, std::string body) {
  http::HttpResponse r = Base(status);
  r.content_type = "text/plain;charset=utf-8";
  r.headers.emplace_back("Cache-Control", "no-store");
  r.body = std::move(body);
  return r;
}

// The file, or 304 when the client's copy is current. no-cache: file names
// carry no version, so the browser revalidates every use (cheap: a 304).
http::HttpResponse File(const http::HttpRequest& req, std::string_view name,
                        std::string_view body, const std::string& etag) {
  const std::string* inm = req.Header("if-none-match");
  http::HttpResponse r = Base(inm != nullptr && *inm == etag ? 304 : 200);
  r.content_type = std::string(ContentType(name));
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("ETag", etag);
  if (r.status == 200) r.body = std::string(body);
  return r;
}

}  // namespace

std::string_view ContentType(std::string_view name) {
  if (EndsWith(name, ".html")) return "text/html;charset=utf-8";
  if (EndsWith(name, ".js")) return "text/javascript;charset=utf-8";
  if (EndsWith(name, ".css")) return "text/css;charset=utf-8";
  if (EndsWith(name, ".json")) return "application/json;charset=utf-8";
  if (EndsWith(name, ".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

gateway::Json ExplorerModel(const gateway::Registry& registry) {
  gateway::Json out = registry.Describe();
  const apimodel::Model* model = registry.model();
  std::set<std::string> served_versions;
  for (auto& p : out["Products"]) {
    const std::string version = p["Version"].get<std::string>();
    served_versions.insert(version);
    std::set<std::string> served;
    for (const auto& op : p["Operations"]) served.insert(op["Action"].get<std::string>());
    gateway::Json missing = gateway::Json::array();
    if (model != nullptr) {
      if (const apimodel::Product* known = model->ByVersion(version)) {
        for (const std::string& a : known->actions()) {
          if (!served.count(a)) missing.push_back(a);
        }
      }
    }
    p["NotImplemented"] = std::move(missing);
  }
  if (model != nullptr) {
    for (const auto& kp : model->products()) {
      if (served_versions.count(kp->version())) continue;
      out["Products"].push_back({{"Product", kp->code()},
                                 {"Name", kp->code()},
                                 {"Version", kp->version()},
                                 {"Operations", gateway::Json::array()},
                                 {"NotImplemented", kp->actions()}});
    }
  }
  return out;
}

Handler::Handler(std::vector<Asset> assets, std::string model_json)
    : assets_(std::move(assets)), model_json_(std::move(model_json)) {
  model_etag_ = "\"" + crypto::Sha256Hex(model_json_) + "\"";
}

std::optional<http::HttpResponse> Handler::Handle(const http::HttpRequest& req) const {
  std::string_view path = req.target;
  path = path.substr(0, path.find('?'));
  if (path.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view rest = path.substr(kPrefix.size());
  if (!rest.empty() && rest[0] != '/') return std::nullopt;  // "/consoles" is not ours
  if (req.method != "GET") {
    http::HttpResponse r = Text(405, "405 Method Not Allowed: the console serves GET only\n");
    r.headers.emplace_back("Allow", "GET");
    return r;
  }
  if (rest.empty()) {
    http::HttpResponse r = Text(308, "");
    r.headers.emplace_back("Location", "/console/");
    return r;
  }
  std::string_view name = rest.substr(1);
  if (name.empty()) name = "index.html";
  if (name == "model.json") return File(req, name, model_json_, model_etag_);
  for (const Asset& a : assets_) {
    if (a.name == name) return File(req, name, a.content, "\"" + std::string(a.sha256) + "\"");
  }
  return Text(404, "404 Not Found: no console file " + std::string(name.substr(0, 128)) + "\n");
}

}  // namespace swasd::console
