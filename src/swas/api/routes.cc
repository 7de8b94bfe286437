#include "swas/api/routes.h"

namespace swasd::swas::api {
namespace {

using gateway::Args;
using gateway::CallContext;
using gateway::Json;
using gateway::OperationSpec;
using gateway::ParamSpec;
using gateway::ParamType;

// ListRegions: the region catalog. The docs list zh-CN (default) and
// en-US for AcceptLanguage; anything else is refused rather than ignored.
OperationSpec ListRegions(const Services* s) {
  OperationSpec op;
  op.product = kProduct.code;
  op.version = kProduct.version;
  op.action = "ListRegions";
  op.summary = "Queries the regions in which Simple Application Server is supported.";
  op.params = {ParamSpec{.name = "AcceptLanguage",
                         .description = "Language of LocalName: zh-CN (default) or en-US.",
                         .allowed = {"zh-CN", "en-US"}}};
  op.ram_action = "swas-open:ListRegions";
  op.resource = "*";
  op.handler = [s](const CallContext& ctx, const Args& args) -> Result<Json> {
    bool english = args.String("AcceptLanguage").value_or("zh-CN") == "en-US";
    Json regions = Json::array();
    for (const Region& r : s->regions->regions()) {
      std::string endpoint = s->public_endpoint.empty() ? ctx.host
                                                        : s->public_endpoint;
      regions.push_back({{"RegionId", r.region_id},
                         {"LocalName", english ? r.name_en : r.name_zh},
                         {"RegionEndpoint", endpoint}});
    }
    return Json{{"Regions", std::move(regions)}};
  };
  return op;
}

}  // namespace

Status Register(gateway::Registry* registry, const Services* services) {
  SWASD_RETURN_IF_ERROR(registry->AddProduct(kProduct));
  SWASD_RETURN_IF_ERROR(registry->AddOperation(ListRegions(services)));
  return Status::Ok();
}

}  // namespace swasd::swas::api
