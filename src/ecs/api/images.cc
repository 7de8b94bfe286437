// DescribeImages and what ECS allows for the images it sees.
#include "base/errors.h"
#include "ecs/api/handlers.h"
#include "ecs/errors.h"
#include "gateway/common_params.h"

namespace swasd::ecs::api {
namespace {

Json ImageJson(const Image& i) {
  return {{"ImageId", i.id},
          {"ImageName", i.name},
          {"ImageOwnerAlias", i.owner_alias},
          {"Status", "Available"},
          {"Size", i.size},
          {"OSType", i.os_type},
          {"OSName", i.os_name},
          {"OSNameEn", i.os_name},
          {"Platform", i.platform},
          {"Architecture", "x86_64"},
          {"CreationTime", FormatIso8601(i.created_ms / 1000)},
          {"IsPublic", i.is_public},
          {"IsCopied", false},
          {"IsSupportIoOptimized", true},
          {"IsSupportCloudinit", true},
          {"Usage", "instance"},
          {"Description", i.description},
          {"ImageVersion", ""},
          {"ImageFamily", ""},
          {"ProductCode", ""},
          {"Progress", "100%"},
          {"BootMode", "BIOS"},
          {"DiskDeviceMappings",
           {{"DiskDeviceMapping",
             Json::array({{{"Size", std::to_string(i.size)},
                           {"Type", "system"},
                           {"SnapshotId", ""},
                           {"Device", "/dev/xvda"},
                           {"Format", ""}}})}}},
          {"Tags", {{"Tag", Json::array()}}}};
}

}  // namespace

void AddImageOperations(Routes* r, const Services* s) {
  r->Read("DescribeImages", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            std::string region = *args.String("RegionId");
            ImageFilter filter;
            filter.ids = CommaList(args.String("ImageId"));
            filter.statuses = CommaList(args.String("Status"));
            filter.owner_alias = args.String("ImageOwnerAlias");
            filter.name = args.String("ImageName");
            filter.os_type = args.String("OSType");
            store::Page page = gateway::PageFrom(args);
            SWASD_ASSIGN_OR_RETURN(auto found, s->service->DescribeImages(
                                                   tx, ctx.principal.account_id, region,
                                                   filter, page));
            Json list = Json::array();
            for (const Image& i : found.items) list.push_back(ImageJson(i));
            return Json{{"RegionId", region},
                        {"TotalCount", found.total},
                        {"PageNumber", page.number},
                        {"PageSize", page.size},
                        {"Images", {{"Image", std::move(list)}}}};
          });
}

}  // namespace swasd::ecs::api
