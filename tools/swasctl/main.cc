// swasctl: the operator's command line. The admin commands here work
// directly on a swasd store -- safely while swasd runs, since the store
// serializes writers across processes -- and print JSON on stdout, one
// document per line; errors go to stderr with a non-zero exit status.
//
//   swasctl [--data-dir DIR] account create --name NAME
//   swasctl [--data-dir DIR] account list
//   swasctl [--data-dir DIR] accesskey create --account-id ID
//   swasctl [--data-dir DIR] accesskey list --account-id ID
//   swasctl [--data-dir DIR] accesskey disable|enable --id AK
//   swasctl [--data-dir DIR] migrate
//   swasctl [--data-dir DIR] seed FILE
//   swasctl [--data-dir DIR] reset [--account-id ID] --empty|--fixture FILE
//   swasctl [--data-dir DIR] export FILE [--key-file K]
//   swasctl [--data-dir DIR] import FILE [--key-file K] [--replace]
//   swasctl call PRODUCT ACTION [NAME=VALUE ...]   (call.h; no store)
//
// DIR defaults to $SWASD_DATA_DIR. Instead of --data-dir, a PostgreSQL store
// is named as swasd names it: --database postgresql://... (SWASD_DATABASE)
// and --master-key-file FILE (SWASD_MASTER_KEY_FILE).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "base/clock.h"
#include "base/errors.h"
#include "store/accounts.h"
#include "store/factory/factory.h"
#include "tools/swasctl/state_commands.h"
#include "tools/swasctl/call.h"

namespace swasd::swasctl {
namespace {

using json = nlohmann::ordered_json;
using store::AccessKey;
using store::Store;
using store::Tx;

// Exit statuses.
constexpr int kExitFailure = 1;  // the command failed
constexpr int kExitUsage = 2;    // the command line is wrong

void Print(const json& doc) { std::cout << doc.dump() << std::endl; }

json KeyJson(const AccessKey& key) {
  json out = {
      {"AccessKeyId", key.access_key_id},
      {"AccountId", key.account_id},
      {"PrincipalType",
       key.principal_type == store::PrincipalType::kRoot ? "Root" : "RamUser"},
      {"Status", key.active ? "Active" : "Inactive"},
      {"CreatedAt", FormatIso8601(key.created_at)}};
  if (!key.principal_name.empty()) out["PrincipalName"] = key.principal_name;
  return out;
}

json CredentialsJson(const AccessKey& key) {
  return {{"AccountId", key.account_id},
          {"AccessKeyId", key.access_key_id},
          {"AccessKeySecret", key.secret}};
}

Status AccountCreate(Store& store, const std::string& name) {
  SWASD_ASSIGN_OR_RETURN(store::NewAccount created,
                         store::CreateAccount(store, SystemClock(), name));
  Print(CredentialsJson(created.key));
  return Status::Ok();
}

Status AccountList(Store& store) {
  json out = json::array();
  SWASD_RETURN_IF_ERROR(store.Read([&](Tx& tx) -> Status {
    SWASD_ASSIGN_OR_RETURN(std::vector<store::Account> accounts,
                           tx.ListAccounts());
    for (const store::Account& a : accounts) {
      out.push_back({{"AccountId", a.account_id},
                     {"Name", a.name},
                     {"CreatedAt", FormatIso8601(a.created_at)}});
    }
    return Status::Ok();
  }));
  Print(out);
  return Status::Ok();
}

Status AccessKeyCreate(Store& store, const std::string& account_id) {
  SWASD_ASSIGN_OR_RETURN(
      AccessKey key, store::CreateAccessKey(store, SystemClock(), account_id));
  Print(CredentialsJson(key));
  return Status::Ok();
}

Status AccessKeyList(Store& store, const std::string& account_id) {
  json out = json::array();
  SWASD_RETURN_IF_ERROR(store.Read([&](Tx& tx) -> Status {
    SWASD_ASSIGN_OR_RETURN(std::optional<store::Account> account,
                           tx.GetAccount(account_id));
    if (!account) {
      return errors::InvalidParam("AccountId",
                                  "account " + account_id + " does not exist");
    }
    SWASD_ASSIGN_OR_RETURN(std::vector<AccessKey> keys,
                           tx.ListAccessKeys(account_id));
    for (const AccessKey& key : keys) out.push_back(KeyJson(key));
    return Status::Ok();
  }));
  Print(out);
  return Status::Ok();
}

Status AccessKeySetActive(Store& store, const std::string& id, bool active) {
  SWASD_RETURN_IF_ERROR(store.Write([&](Tx& tx) -> Status {
    SWASD_ASSIGN_OR_RETURN(bool found, tx.SetAccessKeyActive(id, active));
    if (!found) {
      return errors::InvalidParam("AccessKeyId",
                                  "AccessKey " + id + " does not exist");
    }
    return Status::Ok();
  }));
  Print({{"AccessKeyId", id}, {"Status", active ? "Active" : "Inactive"}});
  return Status::Ok();
}

int Fail(const Error& e) {
  std::cerr << "swasctl: " << e.message();
  // The operator may see internals (the SQLite cause), unlike API clients.
  if (!e.internal_cause().empty() &&
      e.message().find(e.internal_cause()) == std::string::npos) {
    std::cerr << " (" << e.internal_cause() << ")";
  }
  std::cerr << std::endl;
  return kExitFailure;
}

int Main(int argc, char** argv) {
  // `call` talks to a running swasd, not to a store: it has its own flags.
  if (argc >= 2 && std::string_view(argv[1]) == "call") {
    return RunCall(argc - 1, argv + 1, std::cout, std::cerr);
  }
  CLI::App app{"swasctl: administer a swasd store"};
  app.footer(
      "swasctl call PRODUCT ACTION [NAME=VALUE ...]: sign and send one API "
      "call to swasd (swasctl call --help)");
  app.require_subcommand(1);
  std::string data_dir;
  app.add_option("--data-dir", data_dir,
                 "swasd data directory (default: $SWASD_DATA_DIR)")
      ->envname("SWASD_DATA_DIR");
  std::string database, master_key_file;
  app.add_option("--database", database,
                 "PostgreSQL store URL, as swasd's (default: $SWASD_DATABASE)")
      ->envname("SWASD_DATABASE");
  app.add_option("--master-key-file", master_key_file,
                 "PostgreSQL master key file (default: $SWASD_MASTER_KEY_FILE)")
      ->envname("SWASD_MASTER_KEY_FILE");

  // Each subcommand, once parsed, leaves its action here.
  std::function<Status(Store&)> run;
  std::string name, account_id, key_id;

  CLI::App* account = app.add_subcommand("account", "Manage accounts");
  account->require_subcommand(1);
  account->add_subcommand("create", "Create an account and its root AccessKey")
      ->callback(
          [&] { run = [&](Store& s) { return AccountCreate(s, name); }; })
      ->add_option("--name", name, "Account name")
      ->required();
  account->add_subcommand("list", "List accounts")->callback([&] {
    run = AccountList;
  });

  CLI::App* accesskey = app.add_subcommand("accesskey", "Manage AccessKeys");
  accesskey->require_subcommand(1);
  accesskey->add_subcommand("create", "Create a root AccessKey for an account")
      ->callback([&] {
        run = [&](Store& s) { return AccessKeyCreate(s, account_id); };
      })
      ->add_option("--account-id", account_id, "Account id")
      ->required();
  accesskey->add_subcommand("list", "List an account's AccessKeys")
      ->callback(
          [&] { run = [&](Store& s) { return AccessKeyList(s, account_id); }; })
      ->add_option("--account-id", account_id, "Account id")
      ->required();
  accesskey->add_subcommand("disable", "Disable an AccessKey")
      ->callback([&] {
        run = [&](Store& s) { return AccessKeySetActive(s, key_id, false); };
      })
      ->add_option("--id", key_id, "AccessKey id")
      ->required();
  accesskey->add_subcommand("enable", "Enable an AccessKey")
      ->callback([&] {
        run = [&](Store& s) { return AccessKeySetActive(s, key_id, true); };
      })
      ->add_option("--id", key_id, "AccessKey id")
      ->required();

  app.add_subcommand("migrate",
                     "Create or upgrade the store's schema and print its "
                     "version")
      ->callback([&] {
        run = [](Store& s) {
          Print({{"SchemaVersion", store::SchemaVersion(s.Backend())}});
          return Status::Ok();
        };
      });

  AddStateCommands(app, {&data_dir, &master_key_file}, &run);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }
  if (data_dir.empty() && database.empty()) {
    std::cerr << "swasctl: --data-dir or SWASD_DATA_DIR (or --database) is "
                 "required"
              << std::endl;
    return kExitUsage;
  }

  // Opening migrates; the store is the same one swasd uses, so this is safe
  // while swasd runs.
  auto opened = store::OpenStore({.data_dir = data_dir,
                                  .database = database,
                                  .master_key_file = master_key_file,
                                  .connections = 1});
  if (!opened.ok()) return Fail(opened.error());
  Status s = run(**opened);
  if (!s.ok()) return Fail(s.error());
  return 0;
}

}  // namespace
}  // namespace swasd::swasctl

int main(int argc, char** argv) { return swasd::swasctl::Main(argc, argv); }
