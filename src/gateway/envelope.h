// Response envelopes: the only place an answer or an Error becomes bytes.
// JSON by default; XML when the caller asked for Format=XML (V1). Every
// answer carries the RequestId; error bodies are {RequestId, HostId, Code,
// Message, Recommend[, <detail>]} and success bodies never carry Code,
// because pop-core treats any Code in a body as a failure
// (sdk/README.md §6).
#ifndef SWASD_GATEWAY_ENVELOPE_H_
#define SWASD_GATEWAY_ENVELOPE_H_

#include <string>
#include <string_view>

#include "base/error.h"
#include "gateway/operation.h"
#include "http/message.h"

namespace swasd::gateway {

enum class Format { kJson, kXml };

struct EnvelopeContext {
  std::string request_id;
  std::string host_id;
  Format format = Format::kJson;
  std::string action;        // XML root is <ActionResponse>
  std::string product_name;  // for the Recommend link, e.g. "SWAS-OPEN"
};

// REQUIRES: body is an object (or null, treated as empty).
http::HttpResponse RenderSuccess(Json body, const EnvelopeContext& ctx);
http::HttpResponse RenderError(const Error& error, const EnvelopeContext& ctx);

// The XML rendering used for Format=XML: objects become child elements,
// arrays repeat the element named by their key, scalars become escaped
// text. Exposed for tests and the round-trip fuzzer.
std::string ToXml(const Json& value, std::string_view root);

// A Host header value safe to echo as HostId (host[:port] characters only);
// `fallback` otherwise.
std::string SanitizeHostId(std::string_view host, std::string_view fallback);

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_ENVELOPE_H_
