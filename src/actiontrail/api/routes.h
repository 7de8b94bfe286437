// ActionTrail (2020-07-06) wire handlers and the audit sink. LookupEvents
// serves an account its own events (actiontrail/events.h); AuditTrail is
// the gateway's AuditSink (gateway/audit.h): it turns a call into an Event.
#ifndef SWASD_ACTIONTRAIL_API_ROUTES_H_
#define SWASD_ACTIONTRAIL_API_ROUTES_H_

#include <string>

#include "actiontrail/events.h"
#include "gateway/audit.h"
#include "gateway/registry.h"
#include "gateway/routes.h"

namespace swasd::actiontrail::api {

inline constexpr gateway::ProductSpec kProduct{"actiontrail", "Actiontrail", "2020-07-06"};

struct Services : gateway::Backends {};

Status Register(gateway::Registry* registry, const Services* services);

// The event of a call, as AuditTrail writes it. `default_region` is the
// acsRegion of a call without RegionId (RAM, STS, ActionTrail).
Event EventOf(const gateway::CallContext& ctx, const gateway::Args& args,
              const Error* error, const std::string& default_region);

class AuditTrail final : public gateway::AuditSink {
 public:
  // `store` must outlive the trail.
  AuditTrail(store::Store* store, std::string default_region)
      : store_(store), default_region_(std::move(default_region)) {}
  Status Record(store::Tx& tx, const gateway::CallContext& ctx, const gateway::Args& args,
                const Error* error) const override;
  void RecordAlone(const gateway::CallContext& ctx, const gateway::Args& args,
                   const Error& error, std::function<void(Status)> done) const override;

 private:
  store::Store* store_;
  std::string default_region_;
};

}  // namespace swasd::actiontrail::api

#endif  // SWASD_ACTIONTRAIL_API_ROUTES_H_
