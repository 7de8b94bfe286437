#include "store/accounts.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "base/crypto.h"
#include "base/errors.h"
#include "base/ids.h"

namespace swasd::store {
namespace {

constexpr size_t kAccountIdLength = 16;

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

bool IsName(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

Status ValidateAccountId(std::string_view id) {
  bool ok = id.size() == kAccountIdLength && id[0] != '0';
  for (char c : id) ok = ok && c >= '0' && c <= '9';
  if (!ok) {
    return errors::InvalidParam("AccountId",
                                "must be 16 digits, the first not 0");
  }
  return Status::Ok();
}

Result<bool> AccountExists(Tx& tx, const std::string& id) {
  SWASD_ASSIGN_OR_RETURN(std::optional<Account> account, tx.GetAccount(id));
  return account.has_value();
}

Result<bool> AccessKeyExists(Tx& tx, const std::string& id) {
  SWASD_ASSIGN_OR_RETURN(std::optional<AccessKey> key, tx.GetAccessKey(id));
  return key.has_value();
}

// Inserts the root AccessKey for `account_id`, with the fixed id and
// secret or generated ones. REQUIRES: fixed_key, if any, validated.
Result<AccessKey> InsertRootKey(
    Tx& tx, const std::string& account_id, int64_t now,
    const std::optional<std::pair<std::string, std::string>>& fixed_key) {
  AccessKey key;
  key.account_id = account_id;
  key.principal_type = PrincipalType::kRoot;
  key.created_at = now;
  if (fixed_key) {
    key.access_key_id = fixed_key->first;
    key.secret = fixed_key->second;
    SWASD_ASSIGN_OR_RETURN(bool taken, AccessKeyExists(tx, key.access_key_id));
    if (taken) {
      return errors::InvalidParam(
          "AccessKeyId", "AccessKey " + key.access_key_id + " already exists");
    }
  } else {
    // A collision of 20 random characters of 62 is practically impossible;
    // checking makes it impossible.
    for (bool taken = true; taken;) {
      key.access_key_id = "LTAI" + ids::RandomAlnum(20, "accesskey");
      SWASD_ASSIGN_OR_RETURN(taken, AccessKeyExists(tx, key.access_key_id));
    }
    key.secret = ids::SecretAlnum(30);  // random even under --deterministic-ids
  }
  SWASD_RETURN_IF_ERROR(tx.InsertAccessKey(key));
  return key;
}

// CreateAccount's transaction body. REQUIRES: arguments validated.
Result<NewAccount> CreateValidatedAccount(
    Tx& tx, int64_t now, const std::string& name,
    const std::optional<std::string>& fixed_account_id,
    const std::optional<std::pair<std::string, std::string>>& fixed_key) {
  Account account{std::string(), name, now};
  if (fixed_account_id) {
    account.account_id = *fixed_account_id;
    SWASD_ASSIGN_OR_RETURN(bool taken, AccountExists(tx, account.account_id));
    if (taken) {
      return errors::InvalidParam(
          "AccountId", "account " + account.account_id + " already exists");
    }
  } else {
    for (bool taken = true; taken;) {
      // Leading 1, as Alibaba's account ids have: every 16-digit id then
      // stays below 2^53 and survives JSON number parsing (UserId) exactly.
      account.account_id = "1" + ids::RandomDigits(kAccountIdLength - 1, "account");
      SWASD_ASSIGN_OR_RETURN(taken, AccountExists(tx, account.account_id));
    }
  }
  SWASD_RETURN_IF_ERROR(tx.InsertAccount(account));
  SWASD_ASSIGN_OR_RETURN(AccessKey key,
                         InsertRootKey(tx, account.account_id, now, fixed_key));
  return NewAccount{std::move(account), std::move(key)};
}

Error FileError(const std::string& file, std::string_view op) {
  return Error(errors::kInternalError, "cannot " + std::string(op) + " " +
                                           file + ": " + std::strerror(errno));
}

// Replaces `file` with `contents`, mode 0600, durably: written to a
// temporary file first and renamed over, so the file is never partial.
Status WriteSecretFile(const std::string& file, std::string_view contents) {
  std::string tmp = file + ".XXXXXX";
  const int fd = ::mkstemp(tmp.data());  // mode 0600
  if (fd < 0) return FileError(file, "create");
  while (!contents.empty()) {
    const ssize_t n = ::write(fd, contents.data(), contents.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    contents.remove_prefix(static_cast<size_t>(n));
  }
  if (!contents.empty() || ::fsync(fd) != 0) {
    Error e = FileError(file, "write");
    ::close(fd);
    ::unlink(tmp.c_str());
    return e;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), file.c_str()) != 0) {
    Error e = FileError(file, "write");
    ::unlink(tmp.c_str());
    return e;
  }
  return Status::Ok();
}

Error BadRootOption(std::string message) {
  return Error(errors::kInvalidParameter, std::move(message));
}

std::optional<std::string> Env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

}  // namespace

Status ValidateAccessKey(std::string_view id, std::string_view secret) {
  if (!IsName(id, 64)) {
    return errors::InvalidParam(
        "AccessKeyId",
        "must be 1-64 characters of letters, digits, '-', '_' and '.'");
  }
  bool ok = !secret.empty() && secret.size() <= 128;
  for (char c : secret) ok = ok && c > ' ' && c <= '~';
  if (!ok) {
    return errors::InvalidParam(
        "AccessKeySecret",
        "must be 1-128 printable ASCII characters other than space");
  }
  return Status::Ok();
}

Status ValidateNewAccount(
    std::string_view name, const std::optional<std::string>& fixed_account_id,
    const std::optional<std::pair<std::string, std::string>>& fixed_key) {
  if (!IsName(name, 64)) {
    return errors::InvalidParam(
        "Name", "must be 1-64 characters of letters, digits, '-', '_' and '.'");
  }
  if (fixed_account_id)
    SWASD_RETURN_IF_ERROR(ValidateAccountId(*fixed_account_id));
  if (fixed_key) {
    SWASD_RETURN_IF_ERROR(
        ValidateAccessKey(fixed_key->first, fixed_key->second));
  }
  return Status::Ok();
}

Result<NewAccount> CreateAccountInTx(
    Tx& tx, int64_t now, const std::string& name,
    const std::optional<std::string>& fixed_account_id,
    const std::optional<std::pair<std::string, std::string>>& fixed_key) {
  SWASD_RETURN_IF_ERROR(ValidateNewAccount(name, fixed_account_id, fixed_key));
  return CreateValidatedAccount(tx, now, name, fixed_account_id, fixed_key);
}

Result<AccessKey> AddRootKeyInTx(
    Tx& tx, const std::string& account_id, int64_t now,
    const std::optional<std::pair<std::string, std::string>>& fixed_key) {
  if (fixed_key) {
    SWASD_RETURN_IF_ERROR(ValidateAccessKey(fixed_key->first, fixed_key->second));
  }
  return InsertRootKey(tx, account_id, now, fixed_key);
}

Result<NewAccount> CreateAccount(
    Store& store, const Clock& clock, std::string name,
    std::optional<std::string> fixed_account_id,
    std::optional<std::pair<std::string, std::string>> fixed_key) {
  SWASD_RETURN_IF_ERROR(ValidateNewAccount(name, fixed_account_id, fixed_key));
  std::optional<NewAccount> created;
  SWASD_RETURN_IF_ERROR(store.Write([&](Tx& tx) -> Status {
    SWASD_ASSIGN_OR_RETURN(NewAccount c,
                           CreateValidatedAccount(tx, clock.NowUnixSeconds(), name,
                                                  fixed_account_id, fixed_key));
    created = std::move(c);
    return Status::Ok();
  }));
  return std::move(*created);
}

Result<AccessKey> CreateAccessKey(Store& store, const Clock& clock,
                                  std::string_view account_id) {
  std::optional<AccessKey> created;
  SWASD_RETURN_IF_ERROR(store.Write([&](Tx& tx) -> Status {
    SWASD_ASSIGN_OR_RETURN(std::optional<Account> account,
                           tx.GetAccount(account_id));
    if (!account) {
      return errors::InvalidParam(
          "AccountId",
          "account " + std::string(account_id) + " does not exist");
    }
    SWASD_ASSIGN_OR_RETURN(AccessKey key,
                           InsertRootKey(tx, account->account_id,
                                         clock.NowUnixSeconds(), std::nullopt));
    created = std::move(key);
    return Status::Ok();
  }));
  return std::move(*created);
}

RootOptions RootOptionsFromEnv() {
  RootOptions options;
  options.account_id = Env("SWASD_ROOT_ACCOUNT_ID");
  options.access_key_id = Env("SWASD_ROOT_ACCESS_KEY_ID");
  options.access_key_secret = Env("SWASD_ROOT_ACCESS_KEY_SECRET");
  return options;
}

Result<RootAccount> EnsureRootAccount(Store& store, const Clock& clock,
                                      const RootOptions& options) {
  if (options.access_key_id.has_value() !=
      options.access_key_secret.has_value()) {
    return BadRootOption(
        "SWASD_ROOT_ACCESS_KEY_ID and SWASD_ROOT_ACCESS_KEY_SECRET must be "
        "set together");
  }
  if (options.account_id) {
    Status s = ValidateAccountId(*options.account_id);
    if (!s.ok()) {
      return BadRootOption("SWASD_ROOT_ACCOUNT_ID " + *options.account_id +
                           " is not 16 digits with the first not 0");
    }
  }
  std::optional<std::pair<std::string, std::string>> fixed_key;
  if (options.access_key_id) {
    Status s =
        ValidateAccessKey(*options.access_key_id, *options.access_key_secret);
    if (!s.ok())
      return BadRootOption("SWASD_ROOT_ACCESS_KEY_*: " + s.error().message());
    fixed_key.emplace(*options.access_key_id, *options.access_key_secret);
  }

  RootAccount root;
  SWASD_RETURN_IF_ERROR(store.Write([&](Tx& tx) -> Status {
    SWASD_ASSIGN_OR_RETURN(std::vector<Account> accounts, tx.ListAccounts());
    const int64_t now = clock.NowUnixSeconds();
    if (accounts.empty()) {
      SWASD_ASSIGN_OR_RETURN(
          NewAccount created,
          CreateValidatedAccount(tx, now, "root", options.account_id, fixed_key));
      root.account = std::move(created.account);
      if (fixed_key) return Status::Ok();
      // Written before the commit: if the commit then fails, the file names
      // a key that does not exist and the next start overwrites it; the
      // other order could commit a key nobody was ever told.
      if (!options.credentials_file.empty()) {
        const nlohmann::ordered_json creds = {
            {"AccountId", root.account.account_id},
            {"AccessKeyId", created.key.access_key_id},
            {"AccessKeySecret", created.key.secret}};
        SWASD_RETURN_IF_ERROR(
            WriteSecretFile(options.credentials_file, creds.dump() + "\n"));
      }
      root.generated_key = std::move(created.key);
      return Status::Ok();
    }

    root.account = accounts.front();
    const std::string& root_id = root.account.account_id;
    if (options.account_id && *options.account_id != root_id) {
      return BadRootOption("SWASD_ROOT_ACCOUNT_ID is " + *options.account_id +
                           " but the root account of this store is " + root_id);
    }
    if (!fixed_key) return Status::Ok();
    SWASD_ASSIGN_OR_RETURN(std::optional<AccessKey> existing,
                           tx.GetAccessKey(fixed_key->first));
    if (!existing) {
      Result<AccessKey> added = InsertRootKey(tx, root_id, now, fixed_key);
      if (!added.ok()) return std::move(added).error();
      return Status::Ok();
    }
    if (existing->account_id != root_id ||
        existing->principal_type != PrincipalType::kRoot) {
      return BadRootOption("SWASD_ROOT_ACCESS_KEY_ID " + fixed_key->first +
                           " is a key of another principal than the root "
                           "account " +
                           root_id);
    }
    if (!crypto::ConstantTimeEquals(existing->secret, fixed_key->second)) {
      return BadRootOption("SWASD_ROOT_ACCESS_KEY_ID " + fixed_key->first +
                           " already exists with a different secret");
    }
    return Status::Ok();
  }));
  return root;
}

}  // namespace swasd::store
