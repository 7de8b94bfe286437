#include "actiontrail/events.h"

#include <algorithm>
#include <array>

#include "base/clock.h"
#include "base/errors.h"
#include "base/strings.h"
#include "store/document.h"

namespace swasd::actiontrail {
namespace {

bool ContainsIgnoreCase(std::string_view s, std::string_view needle) {
  if (needle.size() > s.size()) return false;
  for (size_t i = 0; i + needle.size() <= s.size(); ++i) {
    if (EqualsIgnoreCase(s.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

bool EndsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// Parameters named like an id that name no resource of the call.
constexpr std::array<std::string_view, 6> kNotResources = {
    "RegionId", "ZoneId", "ResourceGroupId", "ClientToken", "OwnerId", "ResourceOwnerId"};

void SplitValues(const std::string& v, std::vector<std::string>* out) {
  // ["a","b"] (the SDKs' JSON lists) or a,b.
  if (!v.empty() && v.front() == '[') {
    try {
      Json list = Json::parse(v);
      for (const auto& item : list) {
        if (item.is_string() && !item.get<std::string>().empty()) {
          out->push_back(item.get<std::string>());
        }
      }
      return;
    } catch (const std::exception&) {
      // Not JSON: a plain value.
    }
  }
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    std::string part = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) out->push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
}

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ";") + s;
  return out;
}

// The value of `key` in an event, for the attributes matched by equality.
const Json* Field(const Json& event, std::string_view key) {
  auto at = [&](const char* name) -> const Json* {
    auto it = event.find(name);
    return it == event.end() ? nullptr : &*it;
  };
  auto identity = [&](const char* name) -> const Json* {
    auto id = event.find("userIdentity");
    if (id == event.end()) return nullptr;
    auto it = id->find(name);
    return it == id->end() ? nullptr : &*it;
  };
  if (key == "EventName") return at("eventName");
  if (key == "EventRW") return at("eventRW");
  if (key == "EventId") return at("eventId");
  if (key == "ServiceName") return at("serviceName");
  if (key == "User") return identity("userName");
  if (key == "EventAccessKeyId") return identity("accessKeyId");
  return nullptr;
}

}  // namespace

bool IsSecretParam(std::string_view name) {
  for (std::string_view exact : {"AccessKeySecret", "Password", "Signature", "SecurityToken"}) {
    if (EqualsIgnoreCase(name, exact)) return true;
  }
  return ContainsIgnoreCase(name, "password") || ContainsIgnoreCase(name, "secret") ||
         ContainsIgnoreCase(name, "privatekey");
}

Params StripSecrets(const Params& params) {
  Params out;
  for (const auto& [k, v] : params) {
    if (!IsSecretParam(k)) out.emplace_back(k, v);
  }
  return out;
}

std::vector<std::string> ResourceNamesOf(const Params& params) {
  std::vector<std::string> out;
  for (const auto& [k, v] : params) {
    if (std::find(kNotResources.begin(), kNotResources.end(), k) != kNotResources.end()) continue;
    const bool named = k == "UserName" || k == "RoleName" || k == "PolicyName";
    const bool id = (EndsWith(k, "Id") || EndsWith(k, "Ids")) && k.find('.') == std::string::npos;
    if (!named && !id) continue;
    SplitValues(v, &out);
  }
  return out;
}

Json ToJson(const Event& e) {
  Json params = Json::object();
  for (const auto& [k, v] : e.params) params[k] = v;
  Json j = {{"eventId", e.id},
            {"eventVersion", "1"},
            {"eventType", "ApiCall"},
            {"eventCategory", "Management"},
            {"eventName", e.name},
            {"eventTime", FormatIso8601(e.time_ms / 1000)},
            {"eventRW", e.write ? "Write" : "Read"},
            {"acsRegion", e.region},
            {"serviceName", e.service},
            {"apiVersion", e.api_version},
            {"requestId", e.request_id},
            {"requestParameters", std::move(params)},
            {"resourceName", Joined(ResourceNamesOf(e.params))},
            {"sourceIpAddress", e.source_ip},
            {"userAgent", e.user_agent},
            {"userIdentity", {{"type", e.identity.type},
                              {"principalId", e.identity.principal_id},
                              {"accountId", e.identity.account_id},
                              {"accessKeyId", e.identity.access_key_id},
                              {"userName", e.identity.user_name}}}};
  if (!e.error_code.empty()) {
    j["errorCode"] = e.error_code;
    j["errorMessage"] = e.error_message;
  }
  return j;
}

Status Put(store::Tx& tx, const Event& e) {
  store::Resource r;
  r.kind = kEventKind;
  r.id = e.id;
  r.account_id = e.identity.account_id;
  r.region_id = e.region;
  r.name = e.name;
  r.parent_id = e.identity.user_name;
  r.flag = e.write ? 1 : 0;
  r.created_at = e.time_ms;
  r.doc = ToJson(e).dump(-1, ' ', false, Json::error_handler_t::replace);
  return tx.PutResource(r);
}

bool IsKnownAttribute(std::string_view key) {
  for (std::string_view k : {"EventName", "EventRW", "EventId", "ServiceName", "User",
                             "EventAccessKeyId", "ResourceName"}) {
    if (key == k) return true;
  }
  return false;
}

bool Matches(const Json& event, const Params& attributes) {
  for (const auto& [key, value] : attributes) {
    if (key == "ResourceName") {
      auto it = event.find("resourceName");
      if (it == event.end() || !it->is_string()) return false;
      const std::string joined = it->get<std::string>();
      size_t start = 0;
      bool found = false;
      while (start <= joined.size() && !found) {
        size_t semi = joined.find(';', start);
        found = joined.substr(start, semi == std::string::npos ? std::string::npos
                                                               : semi - start) == value;
        if (semi == std::string::npos) break;
        start = semi + 1;
      }
      if (!found) return false;
      continue;
    }
    const Json* f = Field(event, key);
    if (f == nullptr || !f->is_string() || f->get<std::string>() != value) return false;
  }
  return true;
}

Result<Page> Lookup(store::Tx& tx, const std::string& account, const LookupFilter& filter,
                    int64_t offset, int64_t max) {
  store::ResourceQuery q;
  q.kind = kEventKind;
  q.account_id = account;
  q.created_from = filter.from_ms;
  q.created_before = filter.before_ms;
  q.newest_first = !filter.forward;
  // The indexed attributes narrow the query in the store; the others (and
  // a second condition on the same key) are checked on each event.
  bool in_store_only = true;
  for (const auto& [key, value] : filter.attributes) {
    if (key == "EventName" && q.names.empty()) {
      q.names = {value};
    } else if (key == "User" && !q.parent_id) {
      q.parent_id = value;
    } else if (key == "EventRW" && !q.flag && (value == "Read" || value == "Write")) {
      q.flag = value == "Write" ? 1 : 0;
    } else {
      in_store_only = false;
    }
  }
  if (in_store_only) {
    q.offset = offset;
    q.limit = max + 1;  // one more tells whether a next page exists
  }
  SWASD_ASSIGN_OR_RETURN(auto rows, tx.ListResources(q));
  Page page;
  int64_t seen = 0;  // matching events before this one (in memory paging)
  for (const auto& r : rows) {
    Json event;
    try {
      event = Json::parse(r.doc);
    } catch (const std::exception& e) {
      return Error(errors::kInternalError).WithCause("corrupt event " + r.id + ": " + e.what());
    }
    if (!Matches(event, filter.attributes)) continue;
    if (!in_store_only && seen++ < offset) continue;
    if (static_cast<int64_t>(page.events.size()) == max) {
      page.next_offset = offset + max;
      break;
    }
    page.events.push_back(std::move(event));
  }
  return page;
}

Result<int64_t> Prune(store::Store& store, int64_t cutoff_ms) {
  int64_t removed = 0;
  std::vector<store::Account> accounts;
  SWASD_RETURN_IF_ERROR(store.Read([&](store::Tx& tx) -> Status {
    SWASD_ASSIGN_OR_RETURN(accounts, tx.ListAccounts());
    return Status::Ok();
  }));
  for (const auto& account : accounts) {
    // In batches, so one write never holds the store for long.
    for (;;) {
      int64_t batch = 0;
      SWASD_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> Status {
        store::ResourceQuery q;
        q.kind = kEventKind;
        q.account_id = account.account_id;
        q.created_before = cutoff_ms;
        q.limit = 500;
        SWASD_ASSIGN_OR_RETURN(auto rows, tx.ListResources(q));
        for (const auto& r : rows) {
          SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kEventKind, account.account_id, r.id));
          batch += gone ? 1 : 0;
        }
        return Status::Ok();
      }));
      removed += batch;
      if (batch < 500) break;
    }
  }
  return removed;
}

}  // namespace swasd::actiontrail
