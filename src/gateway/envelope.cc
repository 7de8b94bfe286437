#include "gateway/envelope.h"

#include <cstdint>

#include "base/encoding.h"

namespace swasd::gateway {
namespace {

// Length of the well-formed UTF-8 sequence at s[i] encoding an XML Char,
// or 0 (invalid UTF-8, a surrogate, U+FFFE/U+FFFF): XML 1.0 can carry
// neither, even escaped, so EscapeXml writes U+FFFD instead.
size_t XmlUtf8Length(std::string_view s, size_t i) {
  auto ch = DecodeUtf8(s, i);
  if (!ch || ch->code_point == 0xfffe || ch->code_point == 0xffff) return 0;
  return ch->length;
}

void EscapeXml(std::string_view s, std::string* out) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      // Error messages may quote raw request bytes: never let invalid
      // UTF-8 make the document malformed (found by fuzz/envelope).
      size_t len = XmlUtf8Length(s, i);
      if (len == 0) {
        *out += "&#xFFFD;";
      } else {
        out->append(s.substr(i, len));
        i += len - 1;
      }
      continue;
    }
    switch (c) {
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      case '&': *out += "&amp;"; break;
      case '"': *out += "&quot;"; break;
      case '\'': *out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters even when escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' &&
            c != '\r') {
          *out += "&#xFFFD;";
        } else {
          out->push_back(c);
        }
    }
  }
}

void WriteElement(const Json& v, std::string_view name, std::string* out) {
  if (v.is_array()) {
    for (const auto& item : v) WriteElement(item, name, out);
    return;
  }
  *out += '<';
  *out += name;
  *out += '>';
  if (v.is_object()) {
    for (const auto& [k, child] : v.items()) WriteElement(child, k, out);
  } else if (v.is_string()) {
    EscapeXml(v.get_ref<const std::string&>(), out);
  } else if (!v.is_null()) {
    EscapeXml(v.dump(), out);
  }
  *out += "</";
  *out += name;
  *out += '>';
}

std::string Recommend(const Error& e, const EnvelopeContext& ctx) {
  std::string product = ctx.product_name.empty() ? "swasd" : ctx.product_name;
  return "https://api.aliyun.com/troubleshoot?q=" + e.code() +
         "&product=" + product + "&requestId=" + ctx.request_id;
}

http::HttpResponse Finish(int status, const Json& body, std::string_view root,
                          const EnvelopeContext& ctx) {
  http::HttpResponse resp;
  resp.status = status;
  resp.headers.emplace_back("x-acs-request-id", ctx.request_id);
  if (ctx.format == Format::kXml) {
    resp.content_type = "text/xml;charset=utf-8";
    resp.body = ToXml(body, root);
  } else {
    resp.content_type = "application/json;charset=utf-8";
    // Invalid UTF-8 can't reach here (params are validated), but never let
    // a serialization error turn into a crash.
    resp.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  return resp;
}

}  // namespace

std::string ToXml(const Json& value, std::string_view root) {
  std::string out = "<?xml version='1.0' encoding='UTF-8'?>";
  WriteElement(value, root, &out);
  return out;
}

std::string SanitizeHostId(std::string_view host, std::string_view fallback) {
  if (host.empty() || host.size() > 255) return std::string(fallback);
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' ||
              c == '[' || c == ']';
    if (!ok) return std::string(fallback);
  }
  return std::string(host);
}

http::HttpResponse RenderSuccess(Json body, const EnvelopeContext& ctx) {
  Json out = Json::object();
  out["RequestId"] = ctx.request_id;
  if (body.is_object()) {
    for (auto& [k, v] : body.items()) {
      if (k != "RequestId") out[k] = std::move(v);
    }
  }
  return Finish(200, out, ctx.action + "Response", ctx);
}

http::HttpResponse RenderError(const Error& error, const EnvelopeContext& ctx) {
  Json out = {{"RequestId", ctx.request_id},
              {"HostId", ctx.host_id},
              {"Code", error.code()},
              {"Message", error.message()},
              {"Recommend", Recommend(error, ctx)}};
  if (!error.detail_name().empty()) {
    Json detail = Json::object();
    for (const auto& [k, v] : error.detail()) detail[k] = v;
    out[error.detail_name()] = std::move(detail);
  }
  int status = error.http_status() >= 400 && error.http_status() <= 599
                   ? error.http_status()
                   : 500;
  return Finish(status, out, "Error", ctx);
}

}  // namespace swasd::gateway
