#include "protocol/signer.h"

#include <algorithm>

#include "base/encoding.h"
#include "base/errors.h"
#include "protocol/signature_v1.h"
#include "protocol/signature_v3.h"

namespace swasd::protocol {
namespace {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

Status CheckField(std::string_view name, std::string_view value,
                  bool required) {
  if (required && value.empty()) {
    return errors::InvalidParam(name, "it must not be empty");
  }
  // Every field may land in a header; refuse header injection.
  if (value.find_first_of(std::string_view("\r\n\0", 3)) !=
      std::string_view::npos) {
    return errors::InvalidParam(name, "it contains CR, LF or NUL");
  }
  return Status::Ok();
}

Status CheckRequest(const SignRequest& r) {
  SWASD_RETURN_IF_ERROR(CheckField("method", r.method, true));
  SWASD_RETURN_IF_ERROR(CheckField("host", r.host, true));
  SWASD_RETURN_IF_ERROR(CheckField("action", r.action, true));
  SWASD_RETURN_IF_ERROR(CheckField("version", r.version, true));
  SWASD_RETURN_IF_ERROR(CheckField("access_key_id", r.access_key_id, true));
  SWASD_RETURN_IF_ERROR(CheckField("security_token", r.security_token, false));
  SWASD_RETURN_IF_ERROR(CheckField("nonce", r.nonce, true));
  SWASD_RETURN_IF_ERROR(CheckField("timestamp", r.timestamp, true));
  return Status::Ok();
}

std::string Target(const Params& query) {
  std::string target = "/";
  bool first = true;
  for (const auto& [name, value] : query) {
    target.push_back(first ? '?' : '&');
    first = false;
    target += PercentEncode(name);
    target.push_back('=');
    target += PercentEncode(value);
  }
  return target;
}

const char* CredentialsProvider(const SignRequest& r) {
  return r.security_token.empty() ? "static_ak" : "static_sts";
}

Result<SignedRequest> SignV3(const SignRequest& r) {
  SignedRequest out;
  out.target = Target(r.params);
  HeaderList& h = out.headers;
  h.emplace_back("host", r.host);
  h.emplace_back("x-acs-version", r.version);
  h.emplace_back("x-acs-action", r.action);
  h.emplace_back("x-acs-date", r.timestamp);
  h.emplace_back("x-acs-signature-nonce", r.nonce);
  h.emplace_back("accept", "application/json");
  h.emplace_back("x-acs-content-sha256", std::string(kEmptyPayloadSha256));
  h.emplace_back("x-acs-credentials-provider", CredentialsProvider(r));
  if (!r.security_token.empty()) {
    h.emplace_back("x-acs-accesskey-id", r.access_key_id);
    h.emplace_back("x-acs-security-token", r.security_token);
  }

  // The SDK signs host, content-type and every x-acs-* header (README §4
  // step 4); accept and user-agent are sent unsigned.
  HeaderList signed_values;
  std::vector<std::string> signed_names;
  for (const auto& [name, value] : h) {
    if (name == "host" || name == "content-type" ||
        name.starts_with("x-acs-")) {
      signed_values.emplace_back(name, value);
      signed_names.push_back(name);
    }
  }
  std::sort(signed_names.begin(), signed_names.end());

  std::string canonical = V3CanonicalRequest(
      r.method, "/", r.params, signed_values, kEmptyPayloadSha256);
  std::string signature = V3Signature(r.secret, V3StringToSign(canonical));
  h.emplace_back(
      "Authorization",
      V3AuthorizationValue(r.access_key_id, signed_names, signature));
  return out;
}

Result<SignedRequest> SignV1(const SignRequest& r) {
  // openapi-core's order (README §5, vectors.json[4]): common params first,
  // then the business params, then the signature-method params.
  Params query;
  SWASD_RETURN_IF_ERROR(query.Add("Action", r.action));
  // A caller may ask for Format=XML among its params; JSON otherwise.
  if (!r.params.Has("Format")) {
    SWASD_RETURN_IF_ERROR(query.Add("Format", "json"));
  }
  SWASD_RETURN_IF_ERROR(query.Add("Version", r.version));
  SWASD_RETURN_IF_ERROR(query.Add("Timestamp", r.timestamp));
  SWASD_RETURN_IF_ERROR(query.Add("SignatureNonce", r.nonce));
  for (const auto& [name, value] : r.params) {
    SWASD_RETURN_IF_ERROR(query.Add(name, value));
  }
  SWASD_RETURN_IF_ERROR(query.Add("SignatureMethod", "HMAC-SHA1"));
  SWASD_RETURN_IF_ERROR(query.Add("SignatureVersion", "1.0"));
  SWASD_RETURN_IF_ERROR(query.Add("AccessKeyId", r.access_key_id));
  if (!r.security_token.empty()) {
    SWASD_RETURN_IF_ERROR(query.Add("SecurityToken", r.security_token));
  }
  if (query.Has("Signature")) {
    return errors::InvalidParam("Signature", "it is set by the signer");
  }
  std::string signature =
      V1Signature(r.secret, V1StringToSign(r.method, query));
  SWASD_RETURN_IF_ERROR(query.Add("Signature", std::move(signature)));

  SignedRequest out;
  out.target = Target(query);
  out.headers = {
      {"host", r.host},
      {"x-acs-version", r.version},
      {"x-acs-action", r.action},
      {"x-acs-credentials-provider", CredentialsProvider(r)},
  };
  return out;
}

}  // namespace

Result<SignedRequest> Sign(const SignRequest& request) {
  SWASD_RETURN_IF_ERROR(CheckRequest(request));
  if (request.scheme == SignatureScheme::kV1) return SignV1(request);
  return SignV3(request);
}

}  // namespace swasd::protocol
