// SWAS (swas-open 2020-06-01) wire handlers: one function per Action. Each
// operation's parameters, RAM action and resource are in
// api/overlay/swas-open.json (gateway/routes.h). Domain rules live in
// swas/, not here.
#ifndef SWASD_SWAS_API_ROUTES_H_
#define SWASD_SWAS_API_ROUTES_H_

#include <string>

#include "base/error.h"
#include "gateway/registry.h"
#include "gateway/routes.h"
#include "store/store.h"
#include "swas/regions.h"
#include "swas/service.h"

namespace swasd::swas::api {

inline constexpr gateway::ProductSpec kProduct{"swas-open", "SWAS-OPEN",
                                               "2020-06-01"};

// What the wire handlers use: the store and Mutator (gateway::Backends),
// the domain `Service` (swas/service.h, the SWAS rules), wired by main.
// `Services` is this bundle of dependencies, not a second service.
struct Services : gateway::Backends {
  const RegionCatalog* regions = nullptr;
  const Service* service = nullptr;
  // RegionEndpoint answered by ListRegions. Empty: echo the Host the caller
  // used, so a client that follows RegionEndpoint keeps talking to swasd.
  std::string public_endpoint;
};

// Adds the product and its operations. `services` must outlive registry use.
Status Register(gateway::Registry* registry, const Services* services);

}  // namespace swasd::swas::api

#endif  // SWASD_SWAS_API_ROUTES_H_
