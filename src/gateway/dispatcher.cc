#include "gateway/dispatcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

#include "base/errors.h"
#include "base/ids.h"
#include "base/strings.h"
#include "gateway/conform.h"
#include "gateway/region.h"
#include "gateway/validate.h"

namespace swasd::gateway {
namespace {

// Protocol-level parameters: consumed by the gateway, never passed to a
// handler's validation (sdk/README.md §5, alibaba-api.md §3.1).
constexpr std::array<std::string_view, 11> kCommonParams = {
    "AccessKeyId",      "Action",         "Format",
    "SecurityToken",    "Signature",      "SignatureMethod",
    "SignatureNonce",   "SignatureType",  "SignatureVersion",
    "Timestamp",        "Version"};

}  // namespace

Dispatcher::Dispatcher(const Registry* registry, const Authenticator* authn,
                       const Authorizer* authz, const Clock* clock,
                       DispatcherOptions options)
    : registry_(registry),
      authn_(authn),
      authz_(authz),
      clock_(clock),
      options_(std::move(options)) {}

http::HttpResponse Dispatcher::TransportError(int status,
                                              std::string_view reason,
                                              CallRecord* record) const {
  EnvelopeContext env;
  env.request_id = ids::NewRequestId();
  env.host_id = options_.default_host_id;
  Error e = Error(errors::kInternalError);
  switch (status) {
    case 413:
      e = Error("RequestEntityTooLarge", 413, "The request body is too large.");
      break;
    case 431:
      e = Error("RequestHeaderFieldsTooLarge", 431,
                "The request line or headers are too large.");
      break;
    case 400:
      e = Error("BadRequest", 400,
                "The request is not valid HTTP/1.1: " + std::string(reason) + ".");
      break;
    default:
      spdlog::error("request {}: transport failure: {}", env.request_id,
                    reason);
  }
  if (record != nullptr) {
    record->request_id = env.request_id;
    record->code = e.code();
  }
  return RenderError(e, env);
}

http::HttpResponse Dispatcher::Handle(const http::HttpRequest& request,
                                      CallRecord* record) const {
  CallRecord ignored;
  CallRecord& rec = record != nullptr ? *record : ignored;
  EnvelopeContext env;
  env.request_id = ids::NewRequestId();
  rec.request_id = env.request_id;
  const std::string* host = request.Header("host");
  env.host_id = SanitizeHostId(host ? *host : "", options_.default_host_id);
  try {
    return HandleUnsafe(request, env, rec);
  } catch (const std::exception& e) {
    spdlog::error("request {}: unexpected exception: {}", env.request_id,
                  e.what());
  } catch (...) {
    spdlog::error("request {}: unexpected non-standard exception",
                  env.request_id);
  }
  rec.code = errors::kInternalError.code;
  return RenderError(Error(errors::kInternalError), env);
}

http::HttpResponse Dispatcher::HandleUnsafe(const http::HttpRequest& request,
                                            EnvelopeContext& env,
                                            CallRecord& record) const {
  auto fail = [&](const Error& e) {
    record.code = e.code();
    if (e.http_status() >= 500) {
      spdlog::error("request {} ({}): {} {}{}", env.request_id, env.action,
                    e.code(), e.message(),
                    e.internal_cause().empty() ? "" : " cause: " + e.internal_cause());
    }
    return RenderError(e, env);
  };

  if (request.method != "GET" && request.method != "POST") {
    return fail(errors::kUnsupportedHTTPMethod);
  }
  std::string_view target = request.target;
  size_t qpos = target.find('?');
  std::string_view path = target.substr(0, qpos);
  std::string_view query_text =
      qpos == std::string_view::npos ? std::string_view() : target.substr(qpos + 1);
  // RPC-style operations all live at "/" (sdk/README.md §2).
  if (path != "/") return fail(errors::kInvalidActionNotFound);

  protocol::Params query;
  if (Status s = protocol::AppendUrlEncoded(query_text, &query,
                                            options_.param_limits);
      !s.ok()) {
    return fail(s.error());
  }
  // pop-core's POST sends the parameters as a form body instead of the
  // query; both are merged (a name in both is a duplicate).
  protocol::Params all = query;
  const std::string* content_type = request.Header("content-type");
  if (request.method == "POST" && content_type != nullptr &&
      StartsWithIgnoreCase(*content_type, "application/x-www-form-urlencoded")) {
    if (Status s = protocol::AppendUrlEncoded(request.body, &all,
                                              options_.param_limits);
        !s.ok()) {
      return fail(s.error());
    }
  }

  if (const std::string* f = all.Find("Format")) {
    if (EqualsIgnoreCase(*f, "XML")) {
      env.format = Format::kXml;
    } else if (!EqualsIgnoreCase(*f, "JSON")) {
      return fail(errors::InvalidParam("Format", "valid values are JSON, XML"));
    }
  } else if (request.Header("authorization") == nullptr && all.Has("Signature")) {
    // A V1 request without Format gets XML, the RPC default
    // (alibaba-api.md §3.1); every SDK sends Format=JSON explicitly.
    env.format = Format::kXml;
  }

  auto authn = authn_->Verify(request, path, query, all);
  if (!authn.ok()) return fail(authn.error());
  {
    const Principal& p = authn->principal;
    record.authenticated = true;
    record.principal_type = p.type;
    record.account_id = p.account_id;
    record.principal_name = p.name;
    record.access_key_id = p.access_key_id;
  }
  // The nonce is recorded before the answer whatever happens from here:
  // before the handler runs, or with its mutation (claims_nonce), or at the
  // latest here, before an error is answered. A replay gets
  // SignatureNonceUsed rather than whatever else it would have got.
  NonceTicket& nonce = authn->nonce;
  auto answer = [&](Result<Json> out) -> http::HttpResponse {
    if (!nonce.claimed) {
      if (Status s = authn_->Claim(&nonce); !s.ok()) return fail(s.error());
    }
    if (nonce.replay) return fail(errors::kSignatureNonceUsed);
    record.nonce_claimed = true;
    if (!out.ok()) return fail(out.error());
    return RenderSuccess(std::move(out).value(), env);
  };

  // Route: V3 names the operation in signed headers, V1 in parameters.
  std::string action, version;
  if (authn->scheme == Scheme::kV3) {
    action = *request.Header("x-acs-action");
    version = *request.Header("x-acs-version");
  } else {
    const std::string* a = all.Find("Action");
    const std::string* v = all.Find("Version");
    if (a == nullptr || a->empty()) return answer(errors::MissingParam("Action"));
    if (v == nullptr || v->empty()) return answer(errors::MissingParam("Version"));
    action = *a;
    version = *v;
  }
  record.version = version.substr(0, 64);
  record.action = action.substr(0, 64);
  const ProductSpec* product = registry_->FindProduct(version);
  const apimodel::Product* known = registry_->KnownProduct(version);
  if (product == nullptr && known == nullptr) {
    return answer(Error(errors::kInvalidVersion,
                      "Specified parameter Version \"" + version.substr(0, 64) +
                          "\" is not valid."));
  }
  env.product_name = product ? std::string(product->name) : known->code();
  record.product = env.product_name;
  const OperationSpec* op = product ? registry_->Find(version, action) : nullptr;
  if (op == nullptr) {
    // An operation the SDKs know is swasd's gap, not the caller's mistake.
    if (known != nullptr && known->Has(action)) {
      env.action = action;
      record.known_operation = true;
      return answer(Error(errors::kNotImplemented,
                          "swasd does not implement " + known->code() + " " + version +
                              " " + action + " yet; docs/coverage.md lists what it serves."));
    }
    return answer(errors::kInvalidActionNotFound);
  }
  env.action = action;
  record.known_operation = true;

  protocol::Params business;
  for (const auto& [k, v] : all) {
    if (std::find(kCommonParams.begin(), kCommonParams.end(), k) ==
        kCommonParams.end()) {
      (void)business.Add(k, v);  // names are unique in `all` already
    }
  }
  const std::string* host = request.Header("host");
  // A call without RegionId takes the region of the endpoint it called, or
  // the default one (gateway/region.h).
  if (const std::string* r = business.Find("RegionId");
      (r == nullptr || r->empty()) &&
      std::any_of(op->params.begin(), op->params.end(),
                  [](const ParamSpec& p) { return p.name == "RegionId"; })) {
    std::optional<std::string> region = RegionFromHost(host ? *host : "");
    if (!region && !options_.default_region.empty()) region = options_.default_region;
    if (region) {
      business.Remove("RegionId");
      (void)business.Add("RegionId", *region);
    }
  }
  if (Status s = ValidateParams(*op, business); !s.ok()) return answer(s.error());

  CallContext ctx;
  ctx.request_id = env.request_id;
  ctx.operation = op;
  ctx.product = product;
  if (const std::string* ua = request.Header("user-agent")) ctx.user_agent = *ua;
  ctx.nonce = &nonce;
  ctx.principal = std::move(authn->principal);
  ctx.host = host ? *host : std::string();
  ctx.source_ip = request.remote_ip;
  ctx.clock = clock_;
  Args args(&business);
  if (op->authorize) {
    if (Status s = authz_->Authorize(ctx, *op, args); !s.ok()) {
      // A denied call is an audit event of its own (gateway/audit.h); its
      // nonce is claimed first, so a replay of it is not recorded twice.
      if (options_.audit != nullptr && !nonce.claimed) {
        if (Status c = authn_->Claim(&nonce); !c.ok()) return fail(c.error());
      }
      if (options_.audit != nullptr && !nonce.replay) {
        if (Status a = options_.audit->RecordAlone(ctx, args, s.error()); !a.ok()) {
          spdlog::warn("request {} ({}): audit event of a denied call not written: {}",
                       env.request_id, action, a.error().message());
        }
      }
      return answer(s.error());
    }
  }
  // Both refuse before any state changes; neither is an audit event (the
  // call did nothing, and its caller asked for it).
  if (options_.throttle != nullptr) {
    if (Status s = options_.throttle->Admit(ctx.principal.account_id, action); !s.ok()) {
      return answer(s.error());
    }
  }
  if (options_.faults != nullptr) {
    if (auto injected = options_.faults->Pick(op->product, action, ctx.principal.account_id)) {
      spdlog::info("request {} ({}): injected fault {}", env.request_id, action,
                   injected->code());
      return answer(std::move(*injected));
    }
  }
  if (!op->claims_nonce) {
    if (Status s = authn_->Claim(&nonce); !s.ok()) return fail(s.error());
  }
  try {
    Result<Json> out = op->handler(ctx, args);
    if (out.ok() && op->model != nullptr) {
      auto problems = ConformToModel(&out.value(), op->model->response);
      if (!problems.empty()) {
        std::string all;
        for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
        spdlog::warn("request {} ({}): answer does not fit the SDK model: {}",
                     env.request_id, action, all);
        if (options_.strict_answers) {
          out = Error(errors::kInternalError).WithCause("answer does not fit the SDK model: " + all);
        }
      }
    }
    return answer(std::move(out));
  } catch (...) {
    // Handle() answers InternalError; the nonce still must not be reusable.
    if (!nonce.claimed) (void)authn_->Claim(&nonce);
    throw;
  }
}

}  // namespace swasd::gateway
