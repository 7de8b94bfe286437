// swasctl's state commands: seed FILE, reset, export FILE, import FILE
// (src/state). Each works on the store the global flags name, like the
// account commands.
#ifndef SWASD_TOOLS_SWASCTL_STATE_COMMANDS_H_
#define SWASD_TOOLS_SWASCTL_STATE_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "base/error.h"
#include "store/store.h"

namespace swasd::swasctl {

// Where the store's master key is: what export and import seal with unless
// --key-file says otherwise.
struct StoreLocation {
  const std::string* data_dir;         // SQLite: DATA_DIR/master.key
  const std::string* master_key_file;  // PostgreSQL
};

// Adds the subcommands to `app`; the one parsed leaves its action in *run.
void AddStateCommands(CLI::App& app, StoreLocation where,
                      std::function<Status(store::Store&)>* run);

}  // namespace swasd::swasctl

#endif  // SWASD_TOOLS_SWASCTL_STATE_COMMANDS_H_
