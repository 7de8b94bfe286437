// ECS (2014-05-26) wire handlers: the operations through which SWAS images
// shared to ECS are observable. Responses use ECS's nested list style
// ({"Images":{"Image":[...]}}), which the ECS SDK's models require
// (sdk/other-products.md §7). Parameters, RAM actions and resources are in
// api/overlay/ecs.json (gateway/routes.h).
#ifndef SWASD_ECS_API_ROUTES_H_
#define SWASD_ECS_API_ROUTES_H_

#include <string>

#include "ecs/key_pairs.h"
#include "ecs/security_groups.h"
#include "ecs/service.h"
#include "gateway/registry.h"
#include "gateway/routes.h"
#include "swas/regions.h"

namespace swasd::ecs::api {

inline constexpr gateway::ProductSpec kProduct{"ecs", "Ecs", "2014-05-26"};

// What the wire handlers use, wired by main: the domain `Service` (ecs/
// service.h) and its dependencies (as swas::api::Services).
struct Services : gateway::Backends {
  const swas::RegionCatalog* regions = nullptr;
  const Service* service = nullptr;
  const SecurityGroups* security_groups = nullptr;
  const KeyPairs* key_pairs = nullptr;
  std::string public_endpoint;  // as swas::api::Services
};

Status Register(gateway::Registry* registry, const Services* services);

}  // namespace swasd::ecs::api

#endif  // SWASD_ECS_API_ROUTES_H_
