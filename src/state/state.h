// A store's whole state: reset, export and import.
//
// Export writes everything a store holds -- accounts, AccessKeys, server
// secrets, every resource (SWAS, ECS, VPC, RAM, audit events) and the
// ClientToken records -- as one versioned JSON document, read in one
// consistent snapshot. Secrets (AccessKey secrets, the STS signing key)
// leave only sealed (AES-256-GCM) under a 32-byte export key; import opens
// them with the same key and the target store re-seals them under its own
// master key. Signature nonces are not exported: they only guard against
// replays within the skew window. Import writes one transaction, so a
// refused document changes nothing. Both work with either backend, which is
// how a store moves from SQLite to PostgreSQL and back.
#ifndef SWASD_STATE_STATE_H_
#define SWASD_STATE_STATE_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/error.h"
#include "state/fixture.h"
#include "store/store.h"

namespace swasd::state {

// The only export format version this build writes and reads.
inline constexpr int kExportVersion = 1;
inline constexpr char kExportFormat[] = "swasd-export";

// Export of `store`. `seal_key`: 32 bytes.
Result<nlohmann::ordered_json> Export(store::Store& store, const std::string& seal_key);

struct ImportOptions {
  // Empty the target first. Without it, a target holding any account is
  // refused (FailedPrecondition.NotEmpty).
  bool replace = false;
};

// Imports `doc` (an Export) into `store`, opening its secrets with
// `seal_key`. Failure: InvalidParameter for an unknown format or version,
// a malformed document, or secrets that do not open with the key; the
// target's refusal when it is not empty; storage errors. Returns counts:
// {"Accounts","AccessKeys","Resources","ClientTokens","Secrets"}.
Result<nlohmann::ordered_json> Import(store::Store& store, const nlohmann::ordered_json& doc,
                                      const std::string& seal_key,
                                      const ImportOptions& options = {});

struct ResetRequest {
  // Empty: every account. Else just this one.
  std::optional<std::string> account_id;
  // Set: apply it after emptying (only the account's entry, for one
  // account).
  const Fixture* fixture = nullptr;
};

// Empties state in one transaction. Every account: each account but the
// operator's root is deleted whole; the root keeps its root AccessKeys and
// loses everything else. One account: it keeps itself and its root
// AccessKeys and loses its resources, RAM (users and their keys, policies,
// roles), audit events and ClientToken records. Shares other accounts made
// to it stay (they are theirs). Server secrets and nonces stay. Then the
// fixture, if any, is applied (Fixture::Apply with fill_existing). Returns
// {"Accounts":[ids emptied],"Deleted":[ids deleted]} and, with a fixture,
// "Fixture": what it made. Failure: InvalidParameter for an unknown
// account; the fixture's errors; storage errors.
Result<nlohmann::ordered_json> Reset(store::Store& store, const ResetRequest& request,
                                     const FixtureContext& context);

}  // namespace swasd::state

#endif  // SWASD_STATE_STATE_H_
