#include "gateway/authn.h"

#include <algorithm>

#include "base/crypto.h"
#include "base/encoding.h"
#include "base/errors.h"
#include "gateway/nonce_cache.h"
#include "protocol/signature_v1.h"
#include "protocol/signature_v3.h"

namespace swasd::gateway {
namespace {

// Headers a V3 request must sign: without them a signature would not bind
// the operation, the time or the nonce (sdk/README.md §4 step 4).
constexpr std::string_view kRequiredV3Headers[] = {
    "host", "x-acs-action", "x-acs-content-sha256", "x-acs-date",
    "x-acs-signature-nonce", "x-acs-version"};

constexpr size_t kMaxNonceLength = 128;

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

Error Incomplete(std::string why) {
  return Error(errors::kIncompleteSignature,
               std::string(errors::kIncompleteSignature.message) + " " + why);
}

Status CheckNonceShape(std::string_view nonce) {
  if (nonce.size() > kMaxNonceLength || !IsPrintableAscii(nonce)) {
    return errors::InvalidParam("SignatureNonce",
                                "at most 128 printable ASCII characters");
  }
  return Status::Ok();
}

Error Mismatch(std::string_view string_to_sign) {
  return Error(errors::kSignatureDoesNotMatch,
               std::string(errors::kSignatureDoesNotMatch.message) +
                   " server string to sign is:" + std::string(string_to_sign));
}

Principal ToPrincipal(const store::AccessKey& key) {
  Principal p;
  p.account_id = key.account_id;
  p.access_key_id = key.access_key_id;
  if (key.principal_type == store::PrincipalType::kRamUser) {
    p.type = Principal::Type::kRamUser;
    p.name = key.principal_name;
    p.user_name = key.principal_name;
  } else {
    p.type = Principal::Type::kRoot;
    p.name = "root";
  }
  return p;
}

constexpr ErrorSpec kTokenExpired{"InvalidSecurityToken.Expired", 400,
                                  "Specified SecurityToken is expired."};
constexpr ErrorSpec kTokenMismatch{
    "InvalidSecurityToken.MismatchWithAccessKey", 400,
    "Specified SecurityToken mismatch with the AccessKey."};
constexpr ErrorSpec kTokenMalformed{"InvalidSecurityToken.Malformed", 400,
                                    "The security token you provided is malformed."};

}  // namespace

Status ClaimNonceIn(store::Tx& tx, NonceTicket* ticket) {
  SWASD_ASSIGN_OR_RETURN(
      bool fresh, tx.ClaimNonce(ticket->access_key_id, ticket->nonce,
                                ticket->now, ticket->expires_at));
  if (!fresh) {
    ticket->replay = true;
    return errors::kSignatureNonceUsed;
  }
  return Status::Ok();
}

Status Authenticator::Claim(NonceTicket* ticket) const {
  ticket->claimed = true;
  return store_->Write(
      [&](store::Tx& tx) -> Status { return ClaimNonceIn(tx, ticket); });
}

void Authenticator::ClaimAsync(NonceTicket* ticket,
                               store::Store::WriteDone done) const {
  ticket->claimed = true;
  store_->WriteAsync(
      [ticket](store::Tx& tx) -> Status { return ClaimNonceIn(tx, ticket); },
      std::move(done));
}

void Authenticator::ForgetRecent(const NonceTicket& ticket) const {
  if (options_.recent_nonces != nullptr) {
    options_.recent_nonces->Erase(ticket.access_key_id, ticket.nonce);
  }
}

Result<Authenticated> Authenticator::Verify(
    const http::HttpRequest& request, std::string_view path,
    const protocol::Params& query, const protocol::Params& all) const {
  Result<Authenticated> out = errors::MissingParam("Signature");
  if (request.Header("authorization") != nullptr) {
    out = AuthenticateV3(request, path, query);
  } else if (all.Has("Signature")) {
    out = AuthenticateV1(request, all);
  }
  if (out.ok() && options_.recent_nonces != nullptr) {
    const NonceTicket& t = out->nonce;
    if (!options_.recent_nonces->Insert(t.access_key_id, t.nonce, t.expires_at,
                                        t.now)) {
      return Error(errors::kSignatureNonceUsed);
    }
  }
  return out;
}

Result<int64_t> Authenticator::CheckTimestamp(std::string_view text) const {
  auto ts = ParseIso8601(text);
  if (!ts) return Error(errors::kInvalidTimeStampFormat);
  int64_t now = clock_->NowUnixSeconds();
  if (*ts < now - options_.max_skew.count() ||
      *ts > now + options_.max_skew.count()) {
    return Error(errors::kInvalidTimeStampExpired);
  }
  return *ts;
}

Result<std::string> Authenticator::StsSigningKey() const {
  MutexLock lock(&sts_mu_);
  if (sts_key_) return *sts_key_;
  std::optional<std::string> key;
  SWASD_RETURN_IF_ERROR(store_->Read([&](store::Tx& tx) -> Status {
    SWASD_ASSIGN_OR_RETURN(key, tx.GetSecret(kStsSigningKeyName));
    return Status::Ok();
  }));
  if (!key) return Error(kTokenMalformed);  // no session was ever issued
  sts_key_ = *key;
  return *key;
}

Result<Authenticator::Credential> Authenticator::Resolve(
    std::string_view access_key_id, const std::string* security_token) const {
  if (access_key_id.substr(0, kStsKeyPrefix.size()) == kStsKeyPrefix) {
    if (security_token == nullptr || security_token->empty()) {
      return errors::MissingParam("SecurityToken");
    }
    SWASD_ASSIGN_OR_RETURN(std::string signing_key, StsSigningKey());
    SWASD_ASSIGN_OR_RETURN(StsSession session,
                           VerifyStsToken(signing_key, *security_token));
    if (session.access_key_id != access_key_id) return Error(kTokenMismatch);
    if (clock_->NowUnixSeconds() >= session.expires_at) return Error(kTokenExpired);
    Credential c;
    c.access_key_id = std::string(access_key_id);
    c.secret = StsSecret(signing_key, access_key_id);
    Principal& p = c.principal;
    p.type = Principal::Type::kAssumedRole;
    p.account_id = session.account_id;
    p.access_key_id = c.access_key_id;
    p.role_name = session.role_name;
    p.role_id = session.role_id;
    p.session_name = session.session_name;
    p.session_policy = session.policy;
    p.caller_account_id = session.caller_account_id;
    p.name = session.role_name + ":" + session.session_name;
    return c;
  }
  std::optional<store::AccessKey> key;
  SWASD_RETURN_IF_ERROR(store_->Read([&](store::Tx& tx) -> Status {
    SWASD_ASSIGN_OR_RETURN(key, tx.GetAccessKey(access_key_id));
    return Status::Ok();
  }));
  if (!key) return Error(errors::kInvalidAccessKeyIdNotFound);
  if (!key->active) return Error(errors::kInvalidAccessKeyIdInactive);
  return Credential{key->access_key_id, key->secret, ToPrincipal(*key)};
}

NonceTicket Authenticator::Ticket(const Credential& cred,
                                  std::string_view nonce,
                                  int64_t timestamp) const {
  // A request stays acceptable until timestamp + max_skew, so its nonce
  // must be remembered at least that long.
  NonceTicket t;
  t.access_key_id = cred.access_key_id;
  t.nonce = std::string(nonce);
  t.now = clock_->NowUnixSeconds();
  t.expires_at = std::max(t.now, timestamp) + options_.max_skew.count();
  return t;
}

Result<Authenticated> Authenticator::AuthenticateV3(
    const http::HttpRequest& request, std::string_view path,
    const protocol::Params& query) const {
  SWASD_ASSIGN_OR_RETURN(
      protocol::V3Authorization auth,
      protocol::ParseV3Authorization(*request.Header("authorization")));
  for (std::string_view h : kRequiredV3Headers) {
    if (std::find(auth.signed_headers.begin(), auth.signed_headers.end(), h) ==
        auth.signed_headers.end()) {
      return Incomplete("SignedHeaders must include " + std::string(h) + ".");
    }
  }
  // A security token must be signed, or it could be swapped in transit.
  if (request.Header("x-acs-security-token") &&
      std::find(auth.signed_headers.begin(), auth.signed_headers.end(),
                "x-acs-security-token") == auth.signed_headers.end()) {
    return Incomplete("SignedHeaders must include x-acs-security-token.");
  }
  std::vector<std::pair<std::string, std::string>> signed_values;
  for (const std::string& name : auth.signed_headers) {
    // Repeated headers are joined with ',' (sdk/README.md §4 step 5).
    std::string joined;
    size_t n = 0;
    for (const auto& [k, v] : request.headers) {
      if (k != name) continue;
      if (n++) joined += ',';
      joined += Trim(v);
    }
    if (n == 0) {
      return Incomplete("Signed header " + name + " is missing.");
    }
    signed_values.emplace_back(name, std::move(joined));
  }
  auto header = [&](std::string_view name) -> std::string {
    for (const auto& [k, v] : signed_values) {
      if (k == name) return v;
    }
    return {};
  };
  std::string nonce = header("x-acs-signature-nonce");
  SWASD_RETURN_IF_ERROR(CheckNonceShape(nonce));
  SWASD_ASSIGN_OR_RETURN(int64_t ts, CheckTimestamp(header("x-acs-date")));
  SWASD_ASSIGN_OR_RETURN(
      Credential key,
      Resolve(auth.access_key_id, request.Header("x-acs-security-token")));

  std::string hashed_payload = header("x-acs-content-sha256");
  std::string canonical = protocol::V3CanonicalRequest(
      request.method, path, query, signed_values, hashed_payload);
  std::string sts = protocol::V3StringToSign(canonical);
  if (!crypto::ConstantTimeEquals(protocol::V3Signature(key.secret, sts),
                                  auth.signature)) {
    Error e = Mismatch(sts);
    return Error(e.code(), e.http_status(),
                 e.message() + " canonical request is:" + canonical);
  }
  if (hashed_payload != crypto::Sha256Hex(request.body)) {
    return Error(errors::kInvalidContentSha256);
  }
  NonceTicket ticket = Ticket(key, nonce, ts);
  return Authenticated{std::move(key.principal), Scheme::kV3, std::move(ticket)};
}

Result<Authenticated> Authenticator::AuthenticateV1(
    const http::HttpRequest& request, const protocol::Params& all) const {
  for (std::string_view name : {"AccessKeyId", "SignatureMethod",
                                "SignatureNonce", "Timestamp"}) {
    const std::string* v = all.Find(name);
    if (v == nullptr || v->empty()) return errors::MissingParam(name);
  }
  const std::string& method = *all.Find("SignatureMethod");
  if (method != "HMAC-SHA1") return Error(errors::kUnsupportedSignatureMethod);
  // SignatureVersion is optional in some clients; when present it is 1.0.
  if (const std::string* v = all.Find("SignatureVersion");
      v != nullptr && *v != "1.0") {
    return errors::InvalidParam("SignatureVersion", "must be 1.0");
  }
  const std::string& nonce = *all.Find("SignatureNonce");
  SWASD_RETURN_IF_ERROR(CheckNonceShape(nonce));
  SWASD_ASSIGN_OR_RETURN(int64_t ts, CheckTimestamp(*all.Find("Timestamp")));
  SWASD_ASSIGN_OR_RETURN(
      Credential key,
      Resolve(*all.Find("AccessKeyId"), all.Find("SecurityToken")));
  std::string sts = protocol::V1StringToSign(request.method, all);
  if (!crypto::ConstantTimeEquals(protocol::V1Signature(key.secret, sts),
                                  *all.Find("Signature"))) {
    return Mismatch(sts);
  }
  NonceTicket ticket = Ticket(key, nonce, ts);
  return Authenticated{std::move(key.principal), Scheme::kV1, std::move(ticket)};
}

}  // namespace swasd::gateway
