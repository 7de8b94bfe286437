// ActionTrail (2020-07-06) domain: the audit trail's events, how they are
// stored, filtered, paged and pruned. No HTTP: store interfaces only. Who
// writes them and when is gateway/audit.h; the wire handler and the sink
// that turns a call into an Event are in actiontrail/api.
//
// An event is a store::Resource of kind "actiontrail.event" in the caller's
// account: id = eventId, name = eventName, parent_id = the caller's user
// name, flag = 1 for a write, created_at = eventTime (ms), doc = the event
// as LookupEvents answers it (ActionTrail's field names).
#ifndef SWASD_ACTIONTRAIL_EVENTS_H_
#define SWASD_ACTIONTRAIL_EVENTS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "store/store.h"

namespace swasd::actiontrail {

using Json = nlohmann::ordered_json;
using Params = std::vector<std::pair<std::string, std::string>>;

inline constexpr char kEventKind[] = "actiontrail.event";

// userIdentity. type is ActionTrail's: "root-account", "ram-user",
// "assumed-role".
struct Identity {
  std::string type;
  std::string principal_id;
  std::string account_id;
  std::string access_key_id;
  std::string user_name;  // "root", the RAM user, "<role>:<session>"
};

struct Event {
  std::string id;  // eventId
  std::string name;  // eventName: the Action
  int64_t time_ms = 0;
  bool write = false;  // eventRW
  std::string region;  // acsRegion
  std::string service;  // serviceName, e.g. "Ecs"
  std::string api_version;
  std::string request_id;
  Params params;  // requestParameters, secrets already stripped
  std::string error_code, error_message;  // empty for a call that succeeded
  std::string source_ip, user_agent;
  Identity identity;
};

// A parameter whose value must never be stored: AccessKeySecret, Password,
// Signature, SecurityToken, and any name containing (ignoring case)
// "password", "secret" or "privatekey" (LoginCredentials.Password,
// KeyPairPrivateKey ...).
bool IsSecretParam(std::string_view name);
// `params` without the secret ones, in the same order.
Params StripSecrets(const Params& params);
// The resources a call names, from its parameters: the values of each
// parameter called <X>Id or <X>Ids (not RegionId, ZoneId, ResourceGroupId,
// ClientToken ...) and UserName, RoleName, PolicyName; a JSON list or a
// comma list is split. Joined with ';' as ActionTrail's resourceName.
std::vector<std::string> ResourceNamesOf(const Params& params);

// The event as LookupEvents answers it.
Json ToJson(const Event& e);
// Stores the event in `tx` (the transaction of the change it records).
Status Put(store::Tx& tx, const Event& e);

// LookupEvents' filter: the time range [from_ms, before_ms), the
// LookupAttribute conditions (all must hold), the order.
struct LookupFilter {
  int64_t from_ms = 0;
  int64_t before_ms = 0;
  Params attributes;  // (Key, Value)
  bool forward = false;  // oldest first; default newest first (BACKWARD)
};

// The LookupAttribute keys swasd filters on.
bool IsKnownAttribute(std::string_view key);
// Whether a stored event (ToJson's form) meets every attribute.
bool Matches(const Json& event, const Params& attributes);

struct Page {
  std::vector<Json> events;
  // The offset of the next page; nullopt when this one is the last.
  std::optional<int64_t> next_offset;
};
// One page of `account`'s events matching `filter`, from `offset`, at most
// `max` (>= 1). REQUIRES: every attribute key IsKnownAttribute.
Result<Page> Lookup(store::Tx& tx, const std::string& account,
                    const LookupFilter& filter, int64_t offset, int64_t max);

// Deletes every account's events older than `cutoff_ms`. Returns how many.
Result<int64_t> Prune(store::Store& store, int64_t cutoff_ms);

}  // namespace swasd::actiontrail

#endif  // SWASD_ACTIONTRAIL_EVENTS_H_
