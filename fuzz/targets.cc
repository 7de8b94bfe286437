#include "targets.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "base/encoding.h"
#include "fuzz_check.h"
#include "gateway/envelope.h"
#include "protocol/canonical.h"
#include "protocol/params.h"
#include "protocol/signature_v1.h"
#include "protocol/signature_v3.h"
#include "xml_check.h"

namespace swasd::fuzz {
namespace {

using Json = gateway::Json;
using Pairs = std::vector<std::pair<std::string, std::string>>;

std::string_view AsView(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Multi-field inputs: fields separated by 0x01 (a byte no field needs, and
// that seeds can spell). Missing fields are empty; the last takes the rest.
std::vector<std::string_view> Fields(std::string_view in, size_t n) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < n) {
    size_t sep = in.find('\x01');
    if (sep == std::string_view::npos) break;
    out.push_back(in.substr(0, sep));
    in.remove_prefix(sep + 1);
  }
  out.push_back(in);
  while (out.size() < n) out.emplace_back();
  return out;
}

std::string Show(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 300)) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      static const char* kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (s.size() > 300) out += "...";
  return out;
}

Pairs ToPairs(const protocol::Params& p) { return Pairs(p.begin(), p.end()); }

Pairs SortedPairs(const protocol::Params& p) {
  Pairs out;
  p.ForEachSorted([&](const auto& kv) { out.push_back(kv); });
  return out;
}

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

bool StartsWith(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

}  // namespace

// --- query/form decoding -----------------------------------------------------
// Invariants: success only for input within the limits, names unique,
// non-empty, valid UTF-8 without control characters, values valid UTF-8;
// sorted iteration strictly increasing; re-encoding the pairs and decoding
// again gives the same pairs (the decoder is a left inverse of the
// encoder); decoding the same text into the result again is refused
// (every name is now a duplicate). Failures are 400 InvalidParameter.
int FuzzUrlDecode(const uint8_t* data, size_t size) {
  std::string_view in = AsView(data, size);
  const protocol::ParamLimits limits{
      .max_params = 64, .max_name_len = 64, .max_value_len = 2048};
  protocol::Params p;
  Status s = protocol::AppendUrlEncoded(in, &p, limits);
  if (!s.ok()) {
    FUZZ_CHECK(s.error().code() == "InvalidParameter" &&
                   s.error().http_status() == 400,
               s.error().code() + " for " + Show(in));
    return 0;
  }
  FUZZ_CHECK(p.size() <= limits.max_params, Show(in));
  for (const auto& [k, v] : p) {
    FUZZ_CHECK(!k.empty(), Show(in));
    FUZZ_CHECK(k.size() <= limits.max_name_len, Show(k));
    FUZZ_CHECK(v.size() <= limits.max_value_len, Show(in));
    FUZZ_CHECK(IsValidUtf8(k) && IsValidUtf8(v), Show(in));
    for (unsigned char c : k) FUZZ_CHECK(c >= 0x20 && c != 0x7f, Show(k));
    FUZZ_CHECK(p.Find(k) != nullptr && *p.Find(k) == v, Show(k));
  }
  std::string prev;
  bool first = true;
  p.ForEachSorted([&](const auto& kv) {
    FUZZ_CHECK(first || prev < kv.first, Show(prev) + " !< " + Show(kv.first));
    prev = kv.first;
    first = false;
  });
  std::string re;
  for (const auto& [k, v] : p) {
    if (!re.empty()) re += '&';
    re += PercentEncode(k) + "=" + PercentEncode(v);
  }
  protocol::Params again;
  Status s2 = protocol::AppendUrlEncoded(re, &again, limits);
  FUZZ_CHECK(s2.ok(), "re-encoded form refused: " + Show(re));
  FUZZ_CHECK(ToPairs(again) == ToPairs(p), "round trip differs: " + Show(in));
  if (!p.empty()) {
    protocol::Params twice = p;
    FUZZ_CHECK(!protocol::AppendUrlEncoded(in, &twice, limits).ok(),
               "duplicates accepted: " + Show(in));
  }
  return 0;
}

// --- V3 Authorization header --------------------------------------------------
// Invariants: failures are 400 IncompleteSignature; a parsed header has the
// one algorithm, a printable Credential, 64 lowercase hex digits, sorted
// unique lowercase [a-z0-9._-] header names; rendering it the SDK's way and
// parsing again gives the same value.
int FuzzV3Authorization(const uint8_t* data, size_t size) {
  std::string_view in = AsView(data, size);
  auto r = protocol::ParseV3Authorization(in);
  if (!r.ok()) {
    FUZZ_CHECK(r.error().code() == "IncompleteSignature" &&
                   r.error().http_status() == 400,
               r.error().code());
    FUZZ_CHECK(IsValidUtf8(r.error().message()),
               "message not UTF-8: " + Show(r.error().message()));
    return 0;
  }
  FUZZ_CHECK(r->algorithm == protocol::kV3Algorithm, Show(in));
  FUZZ_CHECK(r->signature.size() == 64 && IsLowerHex(r->signature), Show(in));
  FUZZ_CHECK(!r->access_key_id.empty(), Show(in));
  for (unsigned char c : r->access_key_id) {
    FUZZ_CHECK(c > ' ' && c < 0x7f && c != ',', Show(in));
  }
  for (size_t i = 0; i < r->signed_headers.size(); ++i) {
    const std::string& h = r->signed_headers[i];
    FUZZ_CHECK(!h.empty(), Show(in));
    for (char c : h) {
      FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                     c == '_' || c == '-',
                 Show(h));
    }
    FUZZ_CHECK(i == 0 || r->signed_headers[i - 1] < h, Show(in));
  }
  std::string rendered = protocol::V3AuthorizationValue(
      r->access_key_id, r->signed_headers, r->signature);
  auto again = protocol::ParseV3Authorization(rendered);
  FUZZ_CHECK(again.ok(), "rendered header refused: " + Show(rendered));
  FUZZ_CHECK(again->access_key_id == r->access_key_id &&
                 again->signed_headers == r->signed_headers &&
                 again->signature == r->signature,
             Show(rendered));
  return 0;
}

// --- V3 canonical request -------------------------------------------------------
// Input: method 01 path 01 query 01 headers ("name:value" lines) 01 payload.
// Invariants: the canonical request begins METHOD\nPATH\nCanonicalQuery\n;
// it does not depend on the order the signed headers are given in; the
// canonical query decodes back to exactly the (sorted) parameters; when no
// header value or payload holds a line break, the SignedHeaders line is
// the sorted, unique, lowercased names; the string to sign and signature
// have their fixed shapes.
int FuzzV3Canonical(const uint8_t* data, size_t size) {
  auto f = Fields(AsView(data, size), 5);
  protocol::Params query;
  if (!protocol::AppendUrlEncoded(f[2], &query).ok()) query = protocol::Params();
  Pairs headers;
  std::string_view block = f[3];
  while (!block.empty() && headers.size() < 64) {
    size_t nl = block.find('\n');
    std::string_view line = block.substr(0, nl);
    block = nl == std::string_view::npos ? std::string_view() : block.substr(nl + 1);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    headers.emplace_back(std::string(line.substr(0, colon)),
                         std::string(line.substr(colon + 1)));
  }
  std::string cq = protocol::CanonicalQueryString(query);
  std::string cr = protocol::V3CanonicalRequest(f[0], f[1], query, headers, f[4]);
  std::string head = std::string(f[0]) + "\n" + std::string(f[1]) + "\n" + cq + "\n";
  FUZZ_CHECK(StartsWith(cr, head), Show(cr));

  Pairs reversed(headers.rbegin(), headers.rend());
  FUZZ_CHECK(protocol::V3CanonicalRequest(f[0], f[1], query, reversed, f[4]) == cr,
             "header order changes the canonical request: " + Show(cr));

  protocol::Params back;
  FUZZ_CHECK(protocol::AppendUrlEncoded(cq, &back).ok(), Show(cq));
  FUZZ_CHECK(ToPairs(back) == SortedPairs(query), "canonical query is ambiguous: " + Show(cq));

  bool simple = f[4].find_first_of("\r\n") == std::string_view::npos;
  std::vector<std::string> names;
  for (const auto& [k, v] : headers) {
    if (v.find_first_of("\r\n") != std::string::npos) simple = false;
    std::string lower = k;
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c == '\n' || c == '\r' || c == ';') simple = false;
    }
    names.push_back(lower);
  }
  if (simple) {
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::string signed_line;
    for (const auto& n : names) {
      if (!signed_line.empty()) signed_line += ';';
      signed_line += n;
    }
    std::string tail = "\n" + signed_line + "\n" + std::string(f[4]);
    FUZZ_CHECK(cr.size() >= tail.size() &&
                   cr.compare(cr.size() - tail.size(), tail.size(), tail) == 0,
               "SignedHeaders/payload lines: " + Show(cr));
  }

  std::string sts = protocol::V3StringToSign(cr);
  FUZZ_CHECK(StartsWith(sts, "ACS3-HMAC-SHA256\n") && sts.size() == 17 + 64 &&
                 IsLowerHex(sts.substr(17)),
             Show(sts));
  std::string sig = protocol::V3Signature(f[1], sts);
  FUZZ_CHECK(sig.size() == 64 && IsLowerHex(sig), sig);
  return 0;
}

// --- V1 string to sign ------------------------------------------------------------
// Input: method 01 query. Invariants: METHOD&%2F& + ENC(canonical query)
// where the canonical query excludes Signature, is independent of the
// parameters' wire order, and decodes back to exactly the sorted pairs
// (two different parameter sets never sign the same string); the signature
// is 28 characters of base64 (20 bytes).
int FuzzV1StringToSign(const uint8_t* data, size_t size) {
  auto f = Fields(AsView(data, size), 2);
  protocol::Params p;
  if (!protocol::AppendUrlEncoded(f[1], &p).ok()) return 0;
  std::string sts = protocol::V1StringToSign(f[0], p);
  std::string prefix = std::string(f[0]) + "&%2F&";
  FUZZ_CHECK(StartsWith(sts, prefix), Show(sts));
  auto decoded = PercentDecode(std::string_view(sts).substr(prefix.size()), false);
  FUZZ_CHECK(decoded.has_value(), Show(sts));
  static constexpr std::string_view kExclude[] = {"Signature"};
  std::string cq = protocol::CanonicalQueryString(p, kExclude);
  FUZZ_CHECK(*decoded == cq, Show(*decoded) + " vs " + Show(cq));

  protocol::Params back;
  FUZZ_CHECK(protocol::AppendUrlEncoded(cq, &back).ok(), Show(cq));
  Pairs expected;
  for (const auto& kv : SortedPairs(p)) {
    if (kv.first != "Signature") expected.push_back(kv);
  }
  FUZZ_CHECK(ToPairs(back) == expected, "ambiguous canonical query: " + Show(cq));

  protocol::Params reordered;
  std::vector<std::pair<std::string, std::string>> wire(p.begin(), p.end());
  for (auto it = wire.rbegin(); it != wire.rend(); ++it) {
    FUZZ_CHECK(reordered.Add(it->first, it->second).ok(), it->first);
  }
  FUZZ_CHECK(protocol::V1StringToSign(f[0], reordered) == sts,
             "parameter order changes the V1 string to sign");
  std::string sig = protocol::V1Signature("secret", sts);
  FUZZ_CHECK(sig.size() == 28 && Base64Decode(sig).has_value() &&
                 Base64Decode(sig)->size() == 20,
             sig);
  return 0;
}

// --- JSON-array parameters ----------------------------------------------------------
// Input: one byte of max_items (0-19), then the value. Invariants: failures
// are 400 InvalidParameter naming the parameter; at most max_items items; a
// value that is a JSON array of strings gives exactly those strings; the
// comma form gives non-empty items without surrounding spaces; re-encoding
// the items as a JSON array parses back to the same items.
int FuzzJsonStringArray(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t max_items = data[0] % 20;
  std::string_view value = AsView(data + 1, size - 1);
  auto r = protocol::ParseJsonStringArray(value, "ImageIds", max_items);
  if (!r.ok()) {
    FUZZ_CHECK(r.error().code() == "InvalidParameter" && r.error().http_status() == 400,
               r.error().code());
    FUZZ_CHECK(r.error().message().find("ImageIds") != std::string::npos,
               r.error().message());
    FUZZ_CHECK(IsValidUtf8(r.error().message()), Show(r.error().message()));
    return 0;
  }
  FUZZ_CHECK(r->size() <= max_items, std::to_string(r->size()));
  // The JSON form is chosen by the first byte after spaces and tabs (the
  // documented trim); "\n[...]" is a one-item comma list, by design.
  size_t first = value.find_first_not_of(" \t");
  bool json_form = first != std::string_view::npos && value[first] == '[';
  Json j = Json::parse(value.begin(), value.end(), nullptr, /*allow_exceptions=*/false);
  if (json_form && !j.is_discarded() && j.is_array()) {
    std::vector<std::string> expected;
    for (const auto& item : j) {
      FUZZ_CHECK(item.is_string(), "a non-string item was accepted: " + Show(value));
      expected.push_back(item.get<std::string>());
    }
    FUZZ_CHECK(expected == *r, "JSON items differ: " + Show(value));
  }
  for (const auto& item : *r) {
    FUZZ_CHECK(IsValidUtf8(item), Show(item));
    if (!json_form) {
      FUZZ_CHECK(!item.empty() && item.front() != ' ' && item.back() != ' ' &&
                     item.find(',') == std::string::npos,
                 Show(item));
    }
  }
  std::string re = Json(*r).dump();
  auto again = protocol::ParseJsonStringArray(re, "ImageIds", max_items);
  FUZZ_CHECK(again.ok() && *again == *r, "re-encoded list differs: " + Show(re));
  return 0;
}

// --- envelopes ---------------------------------------------------------------------------
namespace {

// Depth of a JSON value, and whether every key is an XML Name and every
// string valid UTF-8 (what handlers produce: keys come from the operation
// table, strings from validated parameters or the store).
struct Shape {
  int depth = 0;
  bool xml_names = true;
};
void Measure(const Json& v, int depth, Shape* s) {
  s->depth = std::max(s->depth, depth);
  if (v.is_object()) {
    for (const auto& [k, c] : v.items()) {
      if (!IsXmlName(k)) s->xml_names = false;
      Measure(c, depth + 1, s);
    }
  } else if (v.is_array()) {
    for (const auto& c : v) Measure(c, depth + 1, s);
  }
}

// What an XML reader gets back for a string after ToXml: characters that
// XML cannot carry (controls, U+FFFE, U+FFFF, invalid UTF-8) are U+FFFD.
std::string XmlVisible(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        out += "\xEF\xBF\xBD";
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    std::string_view seq = s.substr(i, len);
    if (seq.size() == len && IsValidUtf8(seq) && seq != "\xEF\xBF\xBE" &&
        seq != "\xEF\xBF\xBF") {
      out += seq;
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

// How many elements ToXml writes for a value: arrays repeat their key.
size_t Elements(const Json& v) {
  if (!v.is_array()) return 1;
  size_t n = 0;
  for (const auto& c : v) n += Elements(c);
  return n;
}

void CheckXml(const std::string& body, std::string_view root) {
  XmlNode node;
  std::string why;
  FUZZ_CHECK(ParseXml(body, &node, &why), "malformed XML (" + why + "): " + Show(body));
  FUZZ_CHECK(node.name == root, node.name);
}

}  // namespace

// Input: one mode byte, then either a JSON document (the handler's body) or
// text used as an error message. Invariants:
//  - JSON: the body parses back to an object whose first key is RequestId
//    and which holds every field given (RequestId replaced);
//  - XML: well-formed, root <ActionResponse>/<Error>, RequestId child, and
//    each top-level string field's text is the string (controls -> U+FFFD)
//    -- checked when every key is an XML Name (always so for handlers);
//  - errors: JSON and XML both well-formed for ANY message bytes, and a
//    UTF-8 message comes back unchanged in JSON.
int FuzzEnvelope(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  uint8_t mode = data[0];
  std::string_view in = AsView(data + 1, size - 1);
  gateway::EnvelopeContext ctx;
  ctx.request_id = "5A1B2C3D-0000-4000-8000-00000000F022";
  ctx.host_id = "swasd";
  ctx.action = "Fuzz";
  ctx.product_name = "SWAS-OPEN";

  if (mode & 1) {
    // An error whose message is arbitrary bytes (messages quote parameters).
    Error e("Fuzz.Code", 400, std::string(in));
    if (mode & 2) e.WithDetail("AccessDeniedDetail", {{"Key", std::string(in)}});
    ctx.format = gateway::Format::kJson;
    http::HttpResponse rj = gateway::RenderError(e, ctx);
    FUZZ_CHECK(rj.status == 400, std::to_string(rj.status));
    Json j = Json::parse(rj.body, nullptr, false);
    FUZZ_CHECK(!j.is_discarded() && j.is_object(), "error JSON: " + Show(rj.body));
    FUZZ_CHECK(j.value("RequestId", "") == ctx.request_id && j.value("Code", "") == "Fuzz.Code",
               Show(rj.body));
    if (IsValidUtf8(in)) {
      FUZZ_CHECK(j.value("Message", "") == std::string(in), "Message changed: " + Show(rj.body));
    }
    ctx.format = gateway::Format::kXml;
    http::HttpResponse rx = gateway::RenderError(e, ctx);
    CheckXml(rx.body, "Error");
    return 0;
  }

  Json body = Json::parse(in.begin(), in.end(), nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    // Not a JSON object: make one from 01-separated key/value text.
    body = Json::object();
    auto f = Fields(in, 8);
    for (size_t i = 0; i + 1 < f.size(); i += 2) {
      if (!IsValidUtf8(f[i]) || !IsValidUtf8(f[i + 1])) continue;
      body[std::string(f[i])] = std::string(f[i + 1]);
    }
  }
  Shape shape;
  Measure(body, 0, &shape);
  if (shape.depth > 150) return 0;  // beyond any handler's shape

  ctx.format = gateway::Format::kJson;
  http::HttpResponse rj = gateway::RenderSuccess(body, ctx);
  FUZZ_CHECK(rj.status == 200, std::to_string(rj.status));
  Json back = Json::parse(rj.body, nullptr, false);
  FUZZ_CHECK(!back.is_discarded() && back.is_object(), "success JSON: " + Show(rj.body));
  FUZZ_CHECK(!back.empty() && back.begin().key() == "RequestId" &&
                 back["RequestId"] == ctx.request_id,
             Show(rj.body));
  for (const auto& [k, v] : body.items()) {
    if (k == "RequestId") continue;
    if (v.is_number_float() && !std::isfinite(v.get<double>())) continue;  // JSON has no inf
    FUZZ_CHECK(back.contains(k) && back[k] == v, "field " + Show(k) + " changed");
  }
  FUZZ_CHECK(back.size() == body.size() + (body.contains("RequestId") ? 0 : 1),
             Show(rj.body));

  ctx.format = gateway::Format::kXml;
  http::HttpResponse rx = gateway::RenderSuccess(body, ctx);
  if (!shape.xml_names) return 0;  // keys come from the operation table only
  XmlNode node;
  std::string why;
  FUZZ_CHECK(ParseXml(rx.body, &node, &why), "malformed XML (" + why + "): " + Show(rx.body));
  FUZZ_CHECK(node.name == "FuzzResponse", node.name);
  FUZZ_CHECK(!node.children.empty() && node.children[0].name == "RequestId" &&
                 node.children[0].text == ctx.request_id,
             Show(rx.body));
  size_t i = 1;
  for (const auto& [k, v] : body.items()) {
    if (k == "RequestId") continue;
    size_t count = Elements(v);
    if (v.is_string() && i < node.children.size()) {
      FUZZ_CHECK(node.children[i].name == k, node.children[i].name + " vs " + k);
      FUZZ_CHECK(node.children[i].text == XmlVisible(v.get<std::string>()),
                 "text of <" + k + ">: " + Show(node.children[i].text));
    }
    i += count;
  }
  FUZZ_CHECK(i == node.children.size(),
             std::to_string(i) + " vs " + std::to_string(node.children.size()));
  return 0;
}

#ifndef SWASD_FUZZ_HAVE_RAM
int FuzzRamPolicy(const uint8_t*, size_t) { return 0; }
#endif

const std::vector<Target>& Targets() {
  static const std::vector<Target> kTargets = {
      {"url_decode", FuzzUrlDecode},
      {"v3_authorization", FuzzV3Authorization},
      {"v3_canonical", FuzzV3Canonical},
      {"v1_string_to_sign", FuzzV1StringToSign},
      {"json_string_array", FuzzJsonStringArray},
      {"envelope", FuzzEnvelope},
#ifdef SWASD_FUZZ_HAVE_RAM
      {"ram_policy", FuzzRamPolicy},
#endif
  };
  return kTargets;
}

}  // namespace swasd::fuzz
