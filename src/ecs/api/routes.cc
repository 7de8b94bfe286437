#include "ecs/api/routes.h"

#include "ecs/api/handlers.h"
#include "ecs/errors.h"

// The ECS product: one Routes adapter, the areas' rows from handlers.h.
namespace swasd::ecs::api {

Status Register(gateway::Registry* registry, const Services* services) {
  SWASD_ASSIGN_OR_RETURN(const gateway::Overlay* overlay,
                         gateway::Overlay::Builtin(kProduct.code, {}));
  // A RegionId, where an operation takes one, must be served; every write
  // honours DryRun as ECS does: validated, rolled back, DryRunOperation.
  Routes routes(kProduct, overlay, services,
                {.before = [services](const Args& args) -> Status {
                   auto region = args.String("RegionId");
                   return region ? services->service->CheckRegion(*region) : Status::Ok();
                 },
                 .dry_run = errors::kDryRunOperation});
  AddCatalogOperations(&routes, services);
  AddImageOperations(&routes, services);
  AddInstanceOperations(&routes, services);
  AddNetworkOperations(&routes, services);
  return routes.Register(registry);
}

}  // namespace swasd::ecs::api
