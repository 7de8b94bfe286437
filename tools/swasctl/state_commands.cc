#include "tools/swasctl/state_commands.h"

#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "base/clock.h"
#include "base/errors.h"
#include "state/fixture.h"
#include "state/state.h"
#include "store/master_key_file.h"
#include "swas/regions.h"

namespace swasd::swasctl {
namespace {

using json = nlohmann::ordered_json;

struct Options {
  std::string file, key_file, account_id, fixture;
  bool replace = false, empty = false;
};

// The key export and import seal with: --key-file, else the store's own
// master key (so the same deployment exports and imports without one).
Result<std::string> SealKey(const Options& o, StoreLocation where) {
  std::string file = o.key_file;
  if (file.empty()) {
    file = !where.master_key_file->empty() ? *where.master_key_file
                                            : *where.data_dir + "/master.key";
  }
  SWASD_ASSIGN_OR_RETURN(std::optional<std::string> key,
                         store::ReadMasterKeyFile(file, store::KeyEncoding::kHex));
  if (!key) return Error(errors::kInvalidParameter, "key file " + file + " does not exist");
  return *key;
}

Status Seed(store::Store& s, const Options& o) {
  SWASD_ASSIGN_OR_RETURN(state::Fixture fixture, state::Fixture::Load(o.file));
  const swas::RegionCatalog regions = swas::RegionCatalog::Default();
  const SystemClock clock;
  SWASD_ASSIGN_OR_RETURN(json made, state::Seed(s, fixture, {&regions, &clock}));
  std::cout << made.dump() << std::endl;
  return Status::Ok();
}

Status Reset(store::Store& s, const Options& o) {
  std::optional<state::Fixture> fixture;
  if (!o.fixture.empty()) {
    SWASD_ASSIGN_OR_RETURN(fixture, state::Fixture::Load(o.fixture));
  } else if (!o.empty) {
    return Error(errors::kInvalidParameter,
                 "say what to reset to: --empty, or --fixture FILE");
  }
  state::ResetRequest req;
  if (!o.account_id.empty()) req.account_id = o.account_id;
  req.fixture = fixture ? &*fixture : nullptr;
  const swas::RegionCatalog regions = swas::RegionCatalog::Default();
  const SystemClock clock;
  SWASD_ASSIGN_OR_RETURN(json done, state::Reset(s, req, {&regions, &clock}));
  std::cout << done.dump() << std::endl;
  return Status::Ok();
}

Status Export(store::Store& s, const Options& o, StoreLocation where) {
  SWASD_ASSIGN_OR_RETURN(std::string key, SealKey(o, where));
  SWASD_ASSIGN_OR_RETURN(json doc, state::Export(s, key));
  // Written whole to a temporary file (0600: it is the whole state, if
  // sealed secrets), then renamed: a failed export leaves no half file.
  const std::string tmp = o.file + ".tmp";
  {
    const mode_t old = ::umask(077);
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    ::umask(old);
    out << doc.dump(1) << "\n";
    out.flush();
    if (!out) return Error(errors::kInternalError, "cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), o.file.c_str()) != 0) {
    return Error(errors::kInternalError, "cannot rename " + tmp + " to " + o.file);
  }
  size_t resources = 0;
  for (const auto& a : doc["Accounts"]) resources += a["Resources"].size();
  std::cout << json{{"File", o.file},
                    {"Accounts", doc["Accounts"].size()},
                    {"Resources", resources}}
                   .dump()
            << std::endl;
  return Status::Ok();
}

Status Import(store::Store& s, const Options& o, StoreLocation where) {
  std::ifstream in(o.file, std::ios::binary);
  if (!in) return Error(errors::kInvalidParameter, o.file + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  json doc = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Error(errors::kInvalidParameter, o.file + ": not JSON");
  SWASD_ASSIGN_OR_RETURN(std::string key, SealKey(o, where));
  SWASD_ASSIGN_OR_RETURN(json counts, state::Import(s, doc, key, {.replace = o.replace}));
  std::cout << counts.dump() << std::endl;
  return Status::Ok();
}

}  // namespace

void AddStateCommands(CLI::App& app, StoreLocation where,
                      std::function<Status(store::Store&)>* run) {
  auto o = std::make_shared<Options>();
  CLI::App* seed = app.add_subcommand(
      "seed", "Apply a fixture file (docs/testing.md) in one transaction");
  seed->add_option("FILE", o->file, "Fixture JSON")->required();
  seed->callback([o, run] { *run = [o](store::Store& s) { return Seed(s, *o); }; });

  CLI::App* reset = app.add_subcommand(
      "reset", "Reset every account (or one) to empty or to a fixture");
  reset->add_option("--account-id", o->account_id, "Only this account");
  auto* empty = reset->add_flag("--empty", o->empty, "Back to empty");
  reset->add_option("--fixture", o->fixture, "Back to this fixture")->excludes(empty);
  reset->callback([o, run] { *run = [o](store::Store& s) { return Reset(s, *o); }; });

  CLI::App* exp = app.add_subcommand(
      "export", "Write the whole state to FILE (secrets sealed under the key)");
  exp->add_option("FILE", o->file, "Output JSON")->required();
  exp->add_option("--key-file", o->key_file,
                  "32-byte key (raw or hex) sealing the secrets (default: the store's master key)");
  exp->callback([o, run, where] {
    *run = [o, where](store::Store& s) { return Export(s, *o, where); };
  });

  CLI::App* imp = app.add_subcommand(
      "import", "Load a whole state written by export into this store");
  imp->add_option("FILE", o->file, "Export JSON")->required();
  imp->add_option("--key-file", o->key_file,
                  "The key the export was sealed with (default: this store's master key)");
  imp->add_flag("--replace", o->replace, "Empty a store that holds accounts first");
  imp->callback([o, run, where] {
    *run = [o, where](store::Store& s) { return Import(s, *o, where); };
  });
}

}  // namespace swasd::swasctl
