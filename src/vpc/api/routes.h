// VPC (2016-04-28) wire handlers: VPCs and vSwitches, answered in VPC's
// nested list style ({"Vpcs":{"Vpc":[...]}}) that the VPC SDK's models
// require. Parameters, RAM actions and resources are in api/overlay/vpc.json
// (gateway/routes.h).
#ifndef SWASD_VPC_API_ROUTES_H_
#define SWASD_VPC_API_ROUTES_H_

#include <functional>
#include <string_view>

#include "gateway/registry.h"
#include "gateway/routes.h"
#include "vpc/service.h"

namespace swasd::vpc::api {

inline constexpr gateway::ProductSpec kProduct{"vpc", "Vpc", "2016-04-28"};

// What the wire handlers use, wired by main.
struct Services : gateway::Backends {
  const Service* service = nullptr;
  // InvalidRegionId.NotFound unless the region is served (the SWAS region
  // list: swasd serves VPC where it serves SWAS and ECS).
  std::function<Status(std::string_view)> check_region;
};

Status Register(gateway::Registry* registry, const Services* services);

}  // namespace swasd::vpc::api

#endif  // SWASD_VPC_API_ROUTES_H_
