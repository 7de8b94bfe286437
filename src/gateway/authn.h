// Authentication: proves who sent a request before any other logic runs.
// Supports Alibaba's V3 (ACS3-HMAC-SHA256, Authorization header) and V1
// (HMAC-SHA1, Signature parameter) schemes; see docs/formats/signing.md and
// ../shared/reference/sdk/README.md §4–5.
//
// Order of checks (each failure ends the request with its code):
//   required signature material present (Missing*/IncompleteSignature)
//   -> timestamp well-formed (InvalidTimeStamp.Format)
//   -> timestamp within ±max_skew (InvalidTimeStamp.Expired)
//   -> AccessKey exists (InvalidAccessKeyId.NotFound, 404) and is active
//      (InvalidAccessKeyId.Inactive); an "STS." key instead needs its
//      SecurityToken (MissingSecurityToken), minted here and unmodified
//      (InvalidSecurityToken.Malformed), for this key
//      (InvalidSecurityToken.MismatchWithAccessKey), not expired
//      (InvalidSecurityToken.Expired)
//   -> signature matches, compared in constant time (SignatureDoesNotMatch)
//   -> V3 body hash matches x-acs-content-sha256
//   -> nonce not seen for this key within the window (SignatureNonceUsed).
// The nonce is recorded only after the signature verified, so a forger
// cannot burn someone else's nonces.
//
// Thread-safe.
#ifndef SWASD_GATEWAY_AUTHN_H_
#define SWASD_GATEWAY_AUTHN_H_

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/error.h"
#include "base/thread_annotations.h"
#include "gateway/operation.h"
#include "http/message.h"
#include "protocol/params.h"
#include "gateway/sts_token.h"
#include "store/store.h"

namespace swasd::gateway {

enum class Scheme { kV1, kV3 };

class NonceCache;

struct AuthnOptions {
  // Alibaba accepts timestamps within 15 minutes of its clock.
  std::chrono::seconds max_skew{15 * 60};
  // Recently claimed nonces in memory (gateway/nonce_cache.h): a replay of
  // one is refused by Verify at once. Optional; must outlive the
  // Authenticator. The durable claim decides either way.
  NonceCache* recent_nonces = nullptr;
};

struct Authenticated {
  Principal principal;
  Scheme scheme = Scheme::kV3;
  // Verified, not yet recorded.
  NonceTicket nonce;
};

// Records the ticket's nonce in `tx`: SignatureNonceUsed (and
// ticket->replay) when it is already recorded and unexpired.
Status ClaimNonceIn(store::Tx& tx, NonceTicket* ticket);

class Authenticator {
 public:
  Authenticator(store::Store* store, const Clock* clock, AuthnOptions options)
      : store_(store), clock_(clock), options_(options) {}

  // `path` is the request path ("/"); `query` the decoded query parameters;
  // `all` the query plus any form-body parameters (V1 signs both).
  // Every check above but the nonce record: the caller must Claim() the returned
  // ticket (or record it with ClaimNonceIn) before answering the request.
  Result<Authenticated> Verify(const http::HttpRequest& request,
                               std::string_view path,
                               const protocol::Params& query,
                               const protocol::Params& all) const;
  // Records the nonce durably in its own write; SignatureNonceUsed when it
  // is a replay. Marks the ticket claimed either way.
  Status Claim(NonceTicket* ticket) const;
  // The same through Store::WriteAsync: `done` gets Claim's result once the
  // record is durable (or failed). *ticket must live until then.
  void ClaimAsync(NonceTicket* ticket, store::Store::WriteDone done) const;
  // The request was answered with a server error (5xx): its claim may not
  // have been recorded, so the in-memory table forgets the nonce and the
  // store decides if the same request comes again (a retry of a failed
  // claim succeeds; a recorded one is still refused).
  void ForgetRecent(const NonceTicket& ticket) const;

 private:
  Result<Authenticated> AuthenticateV3(const http::HttpRequest& request,
                                       std::string_view path,
                                       const protocol::Params& query) const;
  Result<Authenticated> AuthenticateV1(const http::HttpRequest& request,
                                       const protocol::Params& all) const;
  // Timestamp format and window.
  Result<int64_t> CheckTimestamp(std::string_view text) const;
  // The key's secret and who it authenticates as.
  struct Credential {
    std::string access_key_id;
    std::string secret;
    Principal principal;
  };
  Result<Credential> Resolve(std::string_view access_key_id,
                             const std::string* security_token) const;
  Result<std::string> StsSigningKey() const EXCLUDES(sts_mu_);
  NonceTicket Ticket(const Credential& cred, std::string_view nonce,
                     int64_t timestamp) const;

  store::Store* store_;
  const Clock* clock_;
  AuthnOptions options_;
  mutable Mutex sts_mu_;
  // Never changes once created.
  mutable std::optional<std::string> sts_key_ GUARDED_BY(sts_mu_);
};

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_AUTHN_H_
