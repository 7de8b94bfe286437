#include "tools/swasctl/call.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/encoding.h"
#include "base/strings.h"
#include "protocol/signer.h"
#include "tools/swasctl/credentials.h"
#include "tools/swasctl/http_client.h"

namespace swasd::swasctl {
namespace {

using json = nlohmann::ordered_json;

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr std::string_view kDefaultEndpoint = "127.0.0.1:8080";

// Command-line names that are not the model's product code.
constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
    {"swas", "swas-open"},
};

std::optional<std::string> Env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

int Fail(std::ostream& err, const Error& e) {
  err << "swasctl call: " << e.message() << std::endl;
  return IsUsage(e) ? kExitUsage : kExitError;
}

// An error answer's Code, Message and RequestId, or the raw body when it
// is not a JSON object (an XML answer, a proxy's HTML page).
void ReportErrorAnswer(std::ostream& err, const HttpAnswer& answer) {
  err << "swasctl call: error answer, HTTP " << answer.status << std::endl;
  json body = json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) {
    err << answer.body << std::endl;
    return;
  }
  for (const char* field : {"Code", "Message", "RequestId"}) {
    auto it = body.find(field);
    if (it == body.end()) continue;
    err << field << ": "
        << (it->is_string() ? it->get<std::string>() : it->dump())
        << std::endl;
  }
}

void PrintBody(std::ostream& out, const HttpAnswer& answer) {
  json body = json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    out << answer.body;
    if (!answer.body.empty() && answer.body.back() != '\n') out << '\n';
  } else {
    out << body.dump(2) << '\n';
  }
  out.flush();
}

struct Options {
  std::string product, action, profile, config_path, endpoint, method;
  std::vector<std::string> params;
  double timeout_seconds = 30;
};

int Call(const Options& o, std::ostream& out, std::ostream& err) {
  const apimodel::Model& model = apimodel::Model::Builtin();
  auto product = FindProduct(model, o.product);
  if (!product.ok()) return Fail(err, product.error());
  const apimodel::Operation* op = (*product)->Find(o.action);
  if (op == nullptr) {
    return Fail(err, UsageError((*product)->code() + " " +
                                (*product)->version() + " has no action " +
                                o.action + " (names are case-sensitive)"));
  }
  auto params = ParseParams(o.params);
  if (!params.ok()) return Fail(err, params.error());

  auto credentials = ResolveCredentials({.profile = o.profile,
                                         .config_path = o.config_path,
                                         .env = Env,
                                         .read_file = ReadFile});
  if (!credentials.ok()) return Fail(err, credentials.error());

  std::string endpoint_text = o.endpoint;
  if (endpoint_text.empty()) {
    endpoint_text = Env("SWASD_ENDPOINT").value_or(credentials->endpoint);
  }
  if (endpoint_text.empty()) endpoint_text = kDefaultEndpoint;
  auto endpoint = ParseEndpoint(endpoint_text);
  if (!endpoint.ok()) return Fail(err, endpoint.error());

  protocol::SignRequest request;
  request.method = o.method.empty() ? op->method : o.method;
  request.host = endpoint->authority;
  request.action = op->action;
  request.version = (*product)->version();
  request.access_key_id = credentials->access_key_id;
  request.secret = credentials->access_key_secret;
  request.security_token = credentials->security_token;
  request.params = std::move(*params);
  request.scheme = protocol::SignatureScheme::kV3;
  request.nonce = HexLower(crypto::RandomBytes(16));
  request.timestamp = FormatIso8601(SystemClock().Now());
  auto signed_request = protocol::Sign(request);
  // Only the user's values can make signing fail (CR/LF in a value that
  // lands in a header, such as the security token).
  if (!signed_request.ok()) {
    return Fail(err, UsageError(signed_request.error().message()));
  }

  auto answer = Exchange(
      *endpoint, request.method, *signed_request,
      std::chrono::milliseconds(static_cast<int64_t>(o.timeout_seconds * 1000)));
  if (!answer.ok()) return Fail(err, answer.error());
  PrintBody(out, *answer);
  if (answer->status >= 200 && answer->status < 300) return 0;
  ReportErrorAnswer(err, *answer);
  return kExitError;
}

}  // namespace

Result<const apimodel::Product*> FindProduct(const apimodel::Model& model,
                                             std::string_view name) {
  std::string code(name);
  for (char& c : code) c = AsciiLower(c);
  for (const auto& [alias, target] : kAliases) {
    if (code == alias) code = target;
  }
  if (const apimodel::Product* p = model.ByCode(code)) return p;
  std::string known;
  for (const auto& p : model.products()) {
    known += known.empty() ? "" : ", ";
    known += p->code();
  }
  for (const auto& [alias, target] : kAliases) {
    known += ", " + std::string(alias) + " (" + std::string(target) + ")";
  }
  return UsageError("unknown product " + std::string(name) +
                    "; the products are " + known);
}

Result<protocol::Params> ParseParams(const std::vector<std::string>& args) {
  protocol::Params params;
  for (const std::string& arg : args) {
    size_t eq = arg.find('=');
    if (eq == std::string::npos || eq == 0) {
      return UsageError("parameter " + arg + " is not NAME=VALUE");
    }
    std::string name = arg.substr(0, eq);
    if (params.Has(name)) {
      return UsageError("parameter " + name + " is given twice");
    }
    SWASD_RETURN_IF_ERROR(params.Add(std::move(name), arg.substr(eq + 1)));
  }
  return params;
}

int RunCall(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "Sign one API call with V3 (ACS3-HMAC-SHA256), send it to swasd and "
      "print the answer. Exit status: 0 success, 1 error answer or no "
      "answer, 2 usage.",
      "swasctl call"};
  Options o;
  app.add_option("product", o.product,
                 "Product: swas-open (or swas), ecs, vpc, ram, sts, "
                 "actiontrail, swasd")
      ->required();
  app.add_option("action", o.action, "Action, as the SDK names it")
      ->required();
  app.add_option("params", o.params,
                 "Parameters as NAME=VALUE (Tag.1.Key=env for lists)");
  app.add_option("--profile", o.profile,
                 "Profile of the aliyun CLI config file (default: "
                 "ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, else the file's "
                 "current profile)");
  app.add_option("--config-path", o.config_path,
                 "aliyun CLI config file (default: ~/.aliyun/config.json)");
  app.add_option("--endpoint", o.endpoint,
                 "host:port, http://host:port or https://host:port "
                 "(default: $SWASD_ENDPOINT, else the profile's endpoint, "
                 "else 127.0.0.1:8080); https trusts the system CAs or "
                 "$SSL_CERT_FILE");
  app.add_option("--method", o.method,
                 "HTTP method (default: the SDK's for the action)")
      ->check(CLI::IsMember({"GET", "POST"}));
  app.add_option("--timeout", o.timeout_seconds,
                 "Seconds to wait for connecting, sending and the answer")
      ->check(CLI::Range(0.001, 3600.0));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? 0 : kExitUsage;
  }
  return Call(o, out, err);
}

}  // namespace swasd::swasctl
