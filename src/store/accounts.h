// Account and AccessKey administration over any Store, shared by swasd
// (bootstrapping the root account at start) and swasctl (the operator CLI).
//
// The root account is the first account a store holds (Store::ListAccounts
// returns accounts in insertion order). swasd creates it, named "root", on
// first start; it is the operator's own tenant and where SWASD_ROOT_* keys
// land.
//
// Formats follow Alibaba's: account ids are 16 decimal digits not starting
// with 0; generated AccessKey ids are "LTAI" + 20 characters of [0-9A-Za-z],
// secrets 30 such characters.
//
// Thread safety: the functions are thread-safe; each runs in one Write.
#ifndef SWASD_STORE_ACCOUNTS_H_
#define SWASD_STORE_ACCOUNTS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/clock.h"
#include "base/error.h"
#include "store/store.h"

namespace swasd::store {

struct NewAccount {
  Account account;
  AccessKey key;  // its root AccessKey, secret in the clear
};

// Creates an account named `name` and a root AccessKey for it, in one
// transaction. `fixed_account_id` and `fixed_key` (id, secret) replace the
// generated values.
// Failure: InvalidParameter when name is not 1-64 characters of
// [A-Za-z0-9-_.], fixed_account_id is not 16 digits (first not 0),
// fixed_key is malformed (see ValidateAccessKey), or the account id or key
// id is taken; storage errors as Store::Write.
Result<NewAccount> CreateAccount(
    Store& store, const Clock& clock, std::string name,
    std::optional<std::string> fixed_account_id = {},
    std::optional<std::pair<std::string, std::string>> fixed_key = {});

// CreateAccount's checks of its arguments, without a store: InvalidParameter
// naming the one that is malformed.
Status ValidateNewAccount(
    std::string_view name, const std::optional<std::string>& fixed_account_id,
    const std::optional<std::pair<std::string, std::string>>& fixed_key);

// CreateAccount's work inside a caller's transaction (a fixture creates
// many accounts in one), validating the same way. `now`: unix seconds.
Result<NewAccount> CreateAccountInTx(
    Tx& tx, int64_t now, const std::string& name,
    const std::optional<std::string>& fixed_account_id = {},
    const std::optional<std::pair<std::string, std::string>>& fixed_key = {});

// Adds a root AccessKey (`fixed_key`, validated, or a generated one) to the
// existing account `account_id` inside a caller's transaction.
// Failure: InvalidParameter when fixed_key is malformed or its id taken.
Result<AccessKey> AddRootKeyInTx(
    Tx& tx, const std::string& account_id, int64_t now,
    const std::optional<std::pair<std::string, std::string>>& fixed_key = {});

// Adds a generated root AccessKey to an existing account.
// Failure: InvalidParameter when the account does not exist; storage errors.
Result<AccessKey> CreateAccessKey(Store& store, const Clock& clock,
                                  std::string_view account_id);

// OK when `id` is 1-64 characters of [A-Za-z0-9-_.] and `secret` 1-128
// printable ASCII characters other than space; else InvalidParameter
// saying which is wrong.
Status ValidateAccessKey(std::string_view id, std::string_view secret);

struct RootOptions {
  // SWASD_ROOT_ACCOUNT_ID: the root account's id when swasd creates it;
  // when it exists already, must equal its id.
  std::optional<std::string> account_id;
  // SWASD_ROOT_ACCESS_KEY_ID / SWASD_ROOT_ACCESS_KEY_SECRET: a key the root
  // account must hold. Both or neither.
  std::optional<std::string> access_key_id;
  std::optional<std::string> access_key_secret;
  // Where to write a generated root key, as JSON
  // {"AccountId","AccessKeyId","AccessKeySecret"} with mode 0600 (swasd
  // passes DATA_DIR/root-credentials). Empty: not written.
  std::string credentials_file;
};

// RootOptions from the SWASD_ROOT_* environment variables, unset ones
// left empty. `credentials_file` is left empty.
RootOptions RootOptionsFromEnv();

struct RootAccount {
  Account account;
  // Set only when this call generated the root key (a new store and no
  // SWASD_ROOT_ACCESS_KEY_*): the caller shows it once.
  std::optional<AccessKey> generated_key;
};

// Makes sure the store has a root account, in one transaction:
//  - no account yet: creates "root" (id options.account_id if set) with
//    the options' key, or a generated one that is also written to
//    options.credentials_file;
//  - else: the first account is root; the options' key is added to it
//    unless it already holds that key.
// Failure: InvalidParameter, with a message fit for the operator, when the
// options are malformed (one of the key pair only, bad formats), the
// options' account id differs from the existing root's, or the options'
// key id exists with another secret or under another account; an
// InternalError when credentials_file cannot be written (nothing is
// committed then); storage errors.
Result<RootAccount> EnsureRootAccount(Store& store, const Clock& clock,
                                      const RootOptions& options);

}  // namespace swasd::store

#endif  // SWASD_STORE_ACCOUNTS_H_
