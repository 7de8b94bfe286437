#include "protocol/signature_v3.h"

#include <algorithm>

#include "base/crypto.h"
#include "base/encoding.h"
#include "base/errors.h"
#include "protocol/canonical.h"

namespace swasd::protocol {
namespace {

// Bounds on client-controlled input. Real headers are ~250 bytes with 7-9
// signed names.
constexpr size_t kMaxAuthorizationLen = 8192;
constexpr size_t kMaxSignedHeaders = 64;
constexpr size_t kMaxHeaderNameLen = 128;
constexpr size_t kMaxAccessKeyIdLen = 256;
constexpr size_t kSignatureHexLen = 64;

Error Incomplete(std::string message) {
  return Error(errors::kIncompleteSignature, std::move(message));
}

bool IsWs(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
         c == '\f';
}

// ASCII whitespace, like the JS String.prototype.trim the SDK applies to
// header values (for the bytes HTTP allows in a header value).
std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsWs(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsWs(s.back())) s.remove_suffix(1);
  return s;
}

// For quoting client text in a message: printable ASCII only, bounded.
std::string Printable(std::string_view s) {
  constexpr size_t kMax = 64;
  std::string out;
  for (size_t i = 0; i < s.size() && i < kMax; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
  }
  if (s.size() > kMax) out += "...";
  return out;
}

bool IsHeaderNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

Status ParseSignedHeaders(std::string_view list,
                          std::vector<std::string>* out) {
  if (list.empty()) return Incomplete("SignedHeaders is empty");
  while (true) {
    size_t semi = list.find(';');
    std::string_view name = list.substr(0, semi);
    if (name.empty()) return Incomplete("SignedHeaders has an empty name");
    if (name.size() > kMaxHeaderNameLen) {
      return Incomplete("SignedHeaders has a name that is too long");
    }
    for (char c : name) {
      if (c >= 'A' && c <= 'Z') {
        return Incomplete("SignedHeaders must be lowercase");
      }
      if (!IsHeaderNameChar(c)) {
        return Incomplete("SignedHeaders has an invalid header name");
      }
    }
    if (out->size() >= kMaxSignedHeaders) {
      return Incomplete("SignedHeaders lists too many headers");
    }
    out->emplace_back(name);
    if (semi == std::string_view::npos) break;
    list = list.substr(semi + 1);
  }
  std::sort(out->begin(), out->end());
  if (std::adjacent_find(out->begin(), out->end()) != out->end()) {
    return Incomplete("SignedHeaders lists a header more than once");
  }
  return Status::Ok();
}

Status ParseSignatureHex(std::string_view hex, std::string* out) {
  if (hex.size() != kSignatureHexLen) {
    return Incomplete("Signature must be 64 hex digits");
  }
  out->reserve(hex.size());
  for (char c : hex) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return Incomplete("Signature must be 64 hex digits");
    }
    out->push_back(c);
  }
  return Status::Ok();
}

}  // namespace

Result<V3Authorization> ParseV3Authorization(std::string_view header) {
  if (header.size() > kMaxAuthorizationLen) {
    return Incomplete("the Authorization header is too long");
  }
  header = Trim(header);
  if (header.empty()) return Incomplete("the Authorization header is empty");

  size_t sp = 0;
  while (sp < header.size() && !IsWs(header[sp])) ++sp;
  std::string_view algorithm = header.substr(0, sp);
  if (algorithm.find('=') != std::string_view::npos) {
    return Incomplete(
        "the Authorization header does not start with the "
        "signature algorithm");
  }
  if (algorithm != kV3Algorithm) {
    return Incomplete("signature algorithm " + Printable(algorithm) +
                      " is not supported");
  }

  V3Authorization auth;
  auth.algorithm = std::string(kV3Algorithm);
  std::string_view rest = Trim(header.substr(sp));
  bool have_credential = false, have_signed = false, have_signature = false;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view field = Trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view()
                                           : rest.substr(comma + 1);
    if (comma != std::string_view::npos && Trim(rest).empty()) {
      return Incomplete("the Authorization header ends with a comma");
    }
    if (field.empty()) {
      return Incomplete("the Authorization header has an empty field");
    }
    size_t eq = field.find('=');
    if (eq == std::string_view::npos) {
      return Incomplete("Authorization field " + Printable(field) +
                        " has no '='");
    }
    std::string_view key = field.substr(0, eq);
    std::string_view value = field.substr(eq + 1);
    if (key == "Credential") {
      if (have_credential) return Incomplete("Credential is given twice");
      have_credential = true;
      if (value.empty()) return Incomplete("Credential is empty");
      if (value.size() > kMaxAccessKeyIdLen) {
        return Incomplete("Credential is too long");
      }
      for (char c : value) {
        if (c <= ' ' || c >= 0x7f) {
          return Incomplete("Credential has an invalid character");
        }
      }
      auth.access_key_id = std::string(value);
    } else if (key == "SignedHeaders") {
      if (have_signed) return Incomplete("SignedHeaders is given twice");
      have_signed = true;
      SWASD_RETURN_IF_ERROR(ParseSignedHeaders(value, &auth.signed_headers));
    } else if (key == "Signature") {
      if (have_signature) return Incomplete("Signature is given twice");
      have_signature = true;
      SWASD_RETURN_IF_ERROR(ParseSignatureHex(value, &auth.signature));
    } else {
      return Incomplete("the Authorization header has an unknown field " +
                        Printable(key));
    }
  }
  if (!have_credential) {
    return Incomplete("the Authorization header is missing Credential");
  }
  if (!have_signed) {
    return Incomplete("the Authorization header is missing SignedHeaders");
  }
  if (!have_signature) {
    return Incomplete("the Authorization header is missing Signature");
  }
  return auth;
}

std::string V3AuthorizationValue(std::string_view access_key_id,
                                 const std::vector<std::string>& signed_headers,
                                 std::string_view signature) {
  std::string out(kV3Algorithm);
  out += " Credential=";
  out += access_key_id;
  out += ",SignedHeaders=";
  for (size_t i = 0; i < signed_headers.size(); ++i) {
    if (i > 0) out.push_back(';');
    out += signed_headers[i];
  }
  out += ",Signature=";
  out += signature;
  return out;
}

std::string V3CanonicalRequest(
    std::string_view method, std::string_view path, const Params& query,
    const std::vector<std::pair<std::string, std::string>>&
        signed_header_values,
    std::string_view hashed_payload) {
  // (lowercase name, trimmed value), sorted by name then value so repeated
  // names come out grouped with their values in order (README §4 step 5).
  std::vector<std::pair<std::string, std::string_view>> headers;
  headers.reserve(signed_header_values.size());
  for (const auto& [name, value] : signed_header_values) {
    std::string lower(name);
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    headers.emplace_back(std::move(lower), Trim(value));
  }
  std::sort(headers.begin(), headers.end());

  std::string canonical_headers;
  std::string signed_line;
  for (size_t i = 0; i < headers.size(); ++i) {
    const std::string& name = headers[i].first;
    if (i > 0 && headers[i - 1].first == name) {
      canonical_headers.pop_back();  // the '\n' of this name's line
      canonical_headers.push_back(',');
    } else {
      if (!signed_line.empty()) signed_line.push_back(';');
      signed_line += name;
      canonical_headers += name;
      canonical_headers.push_back(':');
    }
    canonical_headers += headers[i].second;
    canonical_headers.push_back('\n');
  }

  std::string out;
  out += method;
  out.push_back('\n');
  out += path;
  out.push_back('\n');
  out += CanonicalQueryString(query);
  out.push_back('\n');
  out += canonical_headers;  // ends in '\n': the empty line of step 6
  out.push_back('\n');
  out += signed_line;
  out.push_back('\n');
  out += hashed_payload;
  return out;
}

std::string V3StringToSign(std::string_view canonical_request) {
  std::string out(kV3Algorithm);
  out.push_back('\n');
  out += crypto::Sha256Hex(canonical_request);
  return out;
}

std::string V3Signature(std::string_view secret,
                        std::string_view string_to_sign) {
  return HexLower(crypto::HmacSha256(secret, string_to_sign));
}

}  // namespace swasd::protocol
