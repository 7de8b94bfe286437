#include "gateway/dispatcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>

#include "base/await.h"
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

struct Dispatcher::Call {
  explicit Call(http::HttpRequest r, Reply rep)
      : request(std::move(r)), reply(std::move(rep)) {}
  http::HttpRequest request;
  Reply reply;
  std::atomic<bool> replied{false};
  EnvelopeContext env;
  CallRecord record;
  // Set once the signature verified: from then on the nonce must be
  // recorded before any answer.
  bool verified = false;
  NonceTicket nonce;
  const OperationSpec* op = nullptr;
  protocol::Params business;
  Args args{&business};
  CallContext ctx;
};

http::HttpResponse Dispatcher::Handle(const http::HttpRequest& request,
                                      CallRecord* record) const {
  using Answered = std::pair<http::HttpResponse, CallRecord>;
  Answered out = Await<Answered>([&](std::function<void(Answered)> done) {
    Dispatch(request, [done](http::HttpResponse r, CallRecord rec) {
      done({std::move(r), std::move(rec)});
    });
  });
  if (record != nullptr) *record = std::move(out.second);
  return std::move(out.first);
}

void Dispatcher::Dispatch(http::HttpRequest request, Reply reply) const {
  auto c = std::make_shared<Call>(std::move(request), std::move(reply));
  c->env.request_id = ids::NewRequestId();
  c->record.request_id = c->env.request_id;
  const std::string* host = c->request.Header("host");
  c->env.host_id = SanitizeHostId(host ? *host : "", options_.default_host_id);
  Guarded(c, [&] { Route(c); });
}

template <typename F>
void Dispatcher::Guarded(const CallPtr& c, F&& step) const {
  try {
    std::forward<F>(step)();
    return;
  } catch (const std::exception& e) {
    spdlog::error("request {}: unexpected exception: {}", c->env.request_id,
                  e.what());
  } catch (...) {
    spdlog::error("request {}: unexpected non-standard exception",
                  c->env.request_id);
  }
  Crash(c);
}

void Dispatcher::Crash(const CallPtr& c) const {
  c->record.code = errors::kInternalError.code;
  if (c->verified) authn_->ForgetRecent(c->nonce);
  auto send = [this, c] { Send(c, RenderError(Error(errors::kInternalError), c->env)); };
  // The nonce still must not be reusable.
  if (c->verified && !c->nonce.claimed) {
    try {
      authn_->ClaimAsync(&c->nonce, [send](const Status&) { send(); });
      return;
    } catch (...) {
    }
  }
  send();
}

void Dispatcher::Send(const CallPtr& c, http::HttpResponse response) const {
  if (c->replied.exchange(true)) return;
  c->reply(std::move(response), std::move(c->record));
}

void Dispatcher::Fail(const CallPtr& c, const Error& e) const {
  c->record.code = e.code();
  if (e.http_status() >= 500) {
    if (c->verified && !c->nonce.replay) authn_->ForgetRecent(c->nonce);
    spdlog::error("request {} ({}): {} {}{}", c->env.request_id, c->env.action,
                  e.code(), e.message(),
                  e.internal_cause().empty() ? "" : " cause: " + e.internal_cause());
  }
  Send(c, RenderError(e, c->env));
}

// The nonce is recorded before the answer whatever happens: with the
// mutation (claims_nonce), before a handler that may write, or here, before
// anything else is answered. A replay gets SignatureNonceUsed rather than
// whatever else it would have got. A read's answer is rendered first, on
// this thread, and sent once its nonce is durable.
void Dispatcher::Answer(const CallPtr& c, Result<Json> out) const {
  Result<http::HttpResponse> rendered =
      out.ok() ? Result<http::HttpResponse>(RenderSuccess(std::move(out).value(), c->env))
               : Result<http::HttpResponse>(std::move(out).error());
  if (c->nonce.claimed) return Finish(c, Status::Ok(), std::move(rendered));
  auto pending = std::make_shared<Result<http::HttpResponse>>(std::move(rendered));
  authn_->ClaimAsync(&c->nonce, [this, c, pending](Status claim) {
    Guarded(c, [&] { Finish(c, claim, std::move(*pending)); });
  });
}

void Dispatcher::Finish(const CallPtr& c, const Status& claim,
                        Result<http::HttpResponse> out) const {
  if (c->nonce.replay) return Fail(c, errors::kSignatureNonceUsed);
  if (!claim.ok()) return Fail(c, claim.error());
  c->record.nonce_claimed = true;
  if (!out.ok()) return Fail(c, out.error());
  Send(c, std::move(out).value());
}

void Dispatcher::Route(const CallPtr& c) const {
  const http::HttpRequest& request = c->request;
  EnvelopeContext& env = c->env;
  CallRecord& record = c->record;
  auto fail = [&](const Error& e) { Fail(c, e); };
  auto answer = [&](Result<Json> out) { Answer(c, std::move(out)); };

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
  c->nonce = std::move(authn->nonce);
  c->verified = true;

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
  c->op = op;

  protocol::Params& business = c->business;
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

  CallContext& ctx = c->ctx;
  ctx.request_id = env.request_id;
  ctx.operation = op;
  ctx.product = product;
  if (const std::string* ua = request.Header("user-agent")) ctx.user_agent = *ua;
  ctx.nonce = &c->nonce;
  ctx.principal = std::move(authn->principal);
  ctx.host = host ? *host : std::string();
  ctx.source_ip = request.remote_ip;
  ctx.clock = clock_;
  if (op->authorize) {
    if (Status s = authz_->Authorize(ctx, *op, c->args); !s.ok()) {
      if (options_.audit == nullptr) return answer(s.error());
      // A denied call is an audit event of its own (gateway/audit.h); its
      // nonce is claimed first, so a replay of it is not recorded twice.
      auto denied = std::make_shared<Error>(std::move(s).error());
      auto record_then_answer = [this, c, denied] {
        if (c->nonce.replay) return Fail(c, errors::kSignatureNonceUsed);
        options_.audit->RecordAlone(c->ctx, c->args, *denied, [this, c, denied](Status a) {
          if (!a.ok()) {
            spdlog::warn("request {} ({}): audit event of a denied call not written: {}",
                         c->env.request_id, c->env.action, a.error().message());
          }
          Guarded(c, [&] { Answer(c, *denied); });
        });
      };
      authn_->ClaimAsync(&c->nonce, [this, c, record_then_answer](Status claim) {
        Guarded(c, [&] {
          if (!claim.ok() && !c->nonce.replay) return Fail(c, claim.error());
          record_then_answer();
        });
      });
      return;
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
    Injection injected = options_.faults->Pick(op->product, action, ctx.principal.account_id);
    record.delay = injected.delay;
    if (injected.error) {
      spdlog::info("request {} ({}): injected fault {}", env.request_id, action,
                   injected.error->code());
      return answer(std::move(*injected.error));
    }
  }
  Run(c);
}

void Dispatcher::Run(const CallPtr& c) const {
  const OperationSpec* op = c->op;
  // An answer that does not fit the SDK's model is logged (and refused
  // under strict_answers).
  auto conform = [this, c, op](Result<Json>& out) {
    if (!out.ok() || op->model == nullptr) return;
    auto problems = ConformToModel(&out.value(), op->model->response);
    if (problems.empty()) return;
    std::string all;
    for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
    spdlog::warn("request {} ({}): answer does not fit the SDK model: {}",
                 c->env.request_id, c->env.action, all);
    if (options_.strict_answers) {
      out = Error(errors::kInternalError).WithCause("answer does not fit the SDK model: " + all);
    }
  };
  if (op->async_handler) {
    // A mutation: its nonce commits with it (claims_nonce), and the answer
    // comes from the commit's completion.
    op->async_handler(c->ctx, c->args, [this, c, conform](Result<Json> out) {
      Guarded(c, [&] {
        conform(out);
        Answer(c, std::move(out));
      });
    });
    return;
  }
  if (!op->blocking) {
    // Reads only: run here; the nonce is recorded after (Answer).
    Result<Json> out = op->handler(c->ctx, c->args);
    conform(out);
    return Answer(c, std::move(out));
  }
  // May write: the nonce first, so a replay does no work.
  auto work = [this, c, conform] {
    Guarded(c, [&] {
      if (!c->nonce.claimed) {
        if (Status s = authn_->Claim(&c->nonce); !s.ok()) return Fail(c, s.error());
      }
      Result<Json> out = c->op->handler(c->ctx, c->args);
      conform(out);
      Answer(c, std::move(out));
    });
  };
  if (options_.offload) return options_.offload(std::move(work));
  work();
}

}  // namespace swasd::gateway
