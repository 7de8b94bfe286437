#include "actiontrail/api/routes.h"

#include <charconv>

#include "base/clock.h"
#include "base/encoding.h"
#include "base/errors.h"
#include "base/ids.h"
#include "gateway/common_params.h"

namespace swasd::actiontrail::api {
namespace {

using gateway::Args;
using gateway::CallContext;
using gateway::Principal;

constexpr int64_t kDefaultSpanMs = 7LL * 24 * 3600 * 1000;  // ActionTrail: 7 days

std::optional<int64_t> Number(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// NextToken: the next offset and the time range of the first page, so a
// page sequence stays on one range while new events arrive.
std::string Token(int64_t offset, int64_t from_ms, int64_t before_ms) {
  return Base64Encode("v1:" + std::to_string(offset) + ":" + std::to_string(from_ms) + ":" +
                      std::to_string(before_ms));
}

struct Cursor {
  int64_t offset, from_ms, before_ms;
};

std::optional<Cursor> ParseToken(std::string_view token) {
  auto text = Base64Decode(token);
  if (!text || text->rfind("v1:", 0) != 0) return std::nullopt;
  std::string_view rest = std::string_view(*text).substr(3);
  int64_t v[3];
  for (int i = 0; i < 3; ++i) {
    size_t colon = i < 2 ? rest.find(':') : rest.size();
    if (colon == std::string_view::npos) return std::nullopt;
    auto n = Number(rest.substr(0, colon));
    if (!n || *n < 0) return std::nullopt;
    v[i] = *n;
    rest = i < 2 ? rest.substr(colon + 1) : std::string_view();
  }
  return Cursor{v[0], v[1], v[2]};
}

Result<gateway::Json> LookupEvents(store::Tx& tx, const CallContext& ctx, const Args& args) {
  int64_t max = 20;
  if (auto m = args.String("MaxResults")) {
    auto n = Number(*m);
    if (!n || *n < 1 || *n > 50) return errors::InvalidParam("MaxResults", "1 to 50");
    max = *n;
  }
  LookupFilter filter;
  filter.forward = args.String("Direction").value_or("BACKWARD") == "FORWARD";
  for (const auto& fields : args.Objects("LookupAttribute")) {
    std::string key, value;
    for (const auto& [k, v] : fields) (k == "Key" ? key : value) = v;
    filter.attributes.emplace_back(key, value);
  }
  const int64_t now_ms = ctx.clock->NowUnixMillis();
  // EndTime counts its whole second; an event at 10:00:00.5 is in a range
  // ending 10:00:00Z.
  filter.before_ms = now_ms + 1;
  if (auto e = args.String("EndTime")) {
    auto sec = ParseIso8601(*e);
    if (!sec) return errors::InvalidParam("EndTime", "yyyy-MM-ddTHH:mm:ssZ");
    filter.before_ms = (*sec + 1) * 1000;
  }
  filter.from_ms = filter.before_ms - kDefaultSpanMs;
  if (auto s = args.String("StartTime")) {
    auto sec = ParseIso8601(*s);
    if (!sec) return errors::InvalidParam("StartTime", "yyyy-MM-ddTHH:mm:ssZ");
    filter.from_ms = *sec * 1000;
  }
  if (filter.from_ms >= filter.before_ms) {
    return errors::InvalidParam("StartTime", "StartTime must be before EndTime");
  }
  int64_t offset = 0;
  if (auto t = args.String("NextToken"); t && !t->empty()) {
    auto cursor = ParseToken(*t);
    if (!cursor) return errors::InvalidParam("NextToken", "not a token LookupEvents answered");
    offset = cursor->offset;
    filter.from_ms = cursor->from_ms;
    filter.before_ms = cursor->before_ms;
  }
  SWASD_ASSIGN_OR_RETURN(Page page, Lookup(tx, ctx.principal.account_id, filter, offset, max));
  gateway::Json events = gateway::Json::array();
  for (auto& e : page.events) events.push_back(std::move(e));
  return gateway::Json{
      {"Events", std::move(events)},
      {"NextToken", page.next_offset ? Token(*page.next_offset, filter.from_ms, filter.before_ms)
                                     : std::string()},
      {"StartTime", FormatIso8601(filter.from_ms / 1000)},
      {"EndTime", FormatIso8601((filter.before_ms - 1) / 1000)}};
}

Identity IdentityOf(const Principal& p) {
  Identity id;
  id.account_id = p.account_id;
  id.access_key_id = p.access_key_id;
  id.user_name = p.name;
  switch (p.type) {
    case Principal::Type::kRoot:
      id.type = "root-account";
      id.principal_id = p.account_id;
      id.user_name = "root";
      break;
    case Principal::Type::kRamUser:
      id.type = "ram-user";
      id.principal_id = p.user_name;
      id.user_name = p.user_name;
      break;
    case Principal::Type::kAssumedRole:
      id.type = "assumed-role";
      id.principal_id = p.role_id + ":" + p.session_name;
      break;
  }
  return id;
}

}  // namespace

Event EventOf(const CallContext& ctx, const Args& args, const Error* error,
              const std::string& default_region) {
  Event e;
  e.time_ms = ctx.clock != nullptr ? ctx.clock->NowUnixMillis() : 0;
  e.id = ids::NewTimeOrderedId(e.time_ms);
  if (ctx.operation != nullptr) {
    e.name = std::string(ctx.operation->action);
    e.write = ctx.operation->mutating;
    e.api_version = std::string(ctx.operation->version);
  }
  if (ctx.product != nullptr) e.service = std::string(ctx.product->name);
  const std::string* region = args.raw().Find("RegionId");
  e.region = region != nullptr && !region->empty() ? *region : default_region;
  e.request_id = ctx.request_id;
  Params params;
  for (const auto& [k, v] : args.raw()) params.emplace_back(k, v);
  e.params = StripSecrets(params);
  if (error != nullptr) {
    e.error_code = error->code();
    e.error_message = error->message();
  }
  e.source_ip = ctx.source_ip;
  e.user_agent = ctx.user_agent;
  e.identity = IdentityOf(ctx.principal);
  return e;
}

Status AuditTrail::Record(store::Tx& tx, const CallContext& ctx, const Args& args,
                          const Error* error) const {
  return Put(tx, EventOf(ctx, args, error, default_region_));
}

void AuditTrail::RecordAlone(const CallContext& ctx, const Args& args, const Error& error,
                             std::function<void(Status)> done) const {
  auto e = std::make_shared<Event>(EventOf(ctx, args, &error, default_region_));
  store_->WriteAsync([e](store::Tx& tx) { return Put(tx, *e); }, std::move(done));
}

Status Register(gateway::Registry* registry, const Services* services) {
  SWASD_ASSIGN_OR_RETURN(const gateway::Overlay* overlay,
                         gateway::Overlay::Builtin(kProduct.code, {}));
  gateway::Routes routes(kProduct, overlay, services);
  routes.Read("LookupEvents", LookupEvents);
  return routes.Register(registry);
}

}  // namespace swasd::actiontrail::api
