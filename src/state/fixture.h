// Fixtures: a known state a test suite starts from, written as a JSON file
// (docs/testing.md has the format) and created in one transaction --
// accounts with chosen AccessKeys, RAM policies, users and roles, SWAS
// instances, snapshots and ready custom images, shared to ECS and to other
// accounts. `swasctl seed FILE` applies one to a store; swasd --fixture FILE
// applies it to a new store and resets to it (admin ResetState).
//
// A fixture is checked whole before anything is written: every key known,
// every value typed, every reference resolvable. A fault is refused with
// "FILE:LINE: PATH: reason"; a rule of the domain that fails while applying
// (a plan that does not exist, an image name taken) is reported the same
// way and rolls the whole transaction back.
#ifndef SWASD_STATE_FIXTURE_H_
#define SWASD_STATE_FIXTURE_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "state/json_lines.h"
#include "store/store.h"
#include "swas/regions.h"

namespace swasd::state {

// The only fixture format version this build reads.
inline constexpr int kFixtureVersion = 1;

struct FixtureKey {
  std::optional<std::string> id, secret;  // both or neither (generated)
  std::string path;
};

struct FixturePolicyRef {
  std::string name, type;  // type: "System" | "Custom"
  std::string path;
};

struct FixturePolicy {
  std::string name, description, document;
  std::string path;
};

struct FixtureUser {
  std::string name, display_name;
  std::vector<FixtureKey> keys;
  std::vector<FixturePolicyRef> policies;
  std::string path;
};

struct FixtureRole {
  std::string name, description, trust_document;
  int64_t max_session_duration = 3600;
  std::vector<FixturePolicyRef> policies;
  std::string path;
};

struct FixtureInstance {
  std::string name, region, plan_id, image_id;
  std::string path;
};

struct FixtureSnapshot {
  std::string name, instance;  // instance: a FixtureInstance name
  bool data_disk = false;
  std::string path;
};

struct FixtureImage {
  std::string name, description, instance;
  std::string snapshot;  // empty: a system disk snapshot is made for it
  bool share_to_ecs = false;
  std::vector<std::string> share_with;  // fixture account names or ids
  std::string path;
};

struct FixtureAccount {
  std::string name;
  std::optional<std::string> account_id;
  bool root = false;  // the operator's root account (the store's first)
  std::vector<FixtureKey> keys;
  std::vector<FixturePolicy> policies;
  std::vector<FixtureUser> users;
  std::vector<FixtureRole> roles;
  std::vector<FixtureInstance> instances;
  std::vector<FixtureSnapshot> snapshots;
  std::vector<FixtureImage> images;
  std::string path;
};

// Where and how a fixture is applied.
struct FixtureContext {
  const swas::RegionCatalog* regions = nullptr;
  const Clock* clock = nullptr;
};

class Fixture {
 public:
  // Parses and checks `text`; `source` names it in messages (a file name).
  // Failure: InvalidParameter, "SOURCE:LINE: PATH: reason".
  static Result<Fixture> Parse(std::string_view text, std::string source);
  // Parse of the file's contents. Failure also when it cannot be read.
  static Result<Fixture> Load(const std::string& file);

  const std::vector<FixtureAccount>& accounts() const { return accounts_; }
  const std::string& source() const { return source_; }

  // Applies the fixture inside `tx`. With `only_account` set, applies just
  // the entry for that account (matched by AccountId, else by Name; none:
  // nothing is applied). An entry whose account exists is refused unless
  // `fill_existing`, when its keys, RAM and resources are added to the
  // existing account (what a reset to the fixture does after emptying it).
  // A store without accounts gets its root account first: the Root entry
  // if there is one, else "root" with a generated key (in the answer).
  // Returns what was made, for the caller to print:
  // {"Accounts":[{"Name","AccountId","Root","AccessKeys":[{"AccessKeyId",
  // "AccessKeySecret"}],"RamUsers":[{"UserName","AccessKeys":[...]}],
  // "Instances":{name:id},"Snapshots":{...},"CustomImages":{...}}]}.
  Result<nlohmann::ordered_json> Apply(
      store::Tx& tx, const FixtureContext& context,
      const std::optional<std::string>& only_account = {},
      bool fill_existing = false) const;

  // An error about the part at `path`, located in the source.
  Error At(const std::string& path, std::string_view why) const;

 private:
  std::string source_;
  JsonLines lines_{""};
  std::vector<FixtureAccount> accounts_;
};

// Seeds `store` with `fixture` in one transaction (Fixture::Apply, no
// existing fixture account allowed).
Result<nlohmann::ordered_json> Seed(store::Store& store, const Fixture& fixture,
                                    const FixtureContext& context);

}  // namespace swasd::state

#endif  // SWASD_STATE_FIXTURE_H_
