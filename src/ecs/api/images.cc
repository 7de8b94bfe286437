// DescribeImages and what ECS allows for the images it sees: the caller's
// own ECS images (CreateImage, CopyImage, DeleteImage,
// ModifyImageAttribute, ModifyImageSharePermission,
// DescribeImageSharePermission).
#include <algorithm>

#include "base/errors.h"
#include "ecs/api/handlers.h"
#include "ecs/errors.h"
#include "gateway/common_params.h"

namespace swasd::ecs::api {
namespace {

namespace gerr = ::swasd::errors;

Json ImageJson(const Image& i) {
  Json out = {{"ImageId", i.id},
              {"ImageName", i.name},
              {"ImageOwnerAlias", i.owner_alias},
              {"Status", i.status},
              {"Size", i.size},
              {"OSType", i.os_type},
              {"OSName", i.os_name},
              {"OSNameEn", i.os_name},
              {"Platform", i.platform},
              {"Architecture", i.architecture},
              {"CreationTime", FormatIso8601(i.created_ms / 1000)},
              {"IsPublic", i.is_public},
              {"IsCopied", i.is_copied},
              {"IsSelfShared", i.is_self_shared},
              {"Usable", i.status == "Available"},
              {"IsSupportIoOptimized", true},
              {"IsSupportCloudinit", true},
              {"Usage", "instance"},
              {"Description", i.description},
              {"ImageVersion", ""},
              {"ImageFamily", i.image_family},
              {"ProductCode", ""},
              {"Progress", i.status == "Available" ? "100%" : "50%"},
              {"BootMode", "BIOS"},
              {"DiskDeviceMappings",
               {{"DiskDeviceMapping",
                 Json::array({{{"Size", std::to_string(i.size)},
                               {"Type", "system"},
                               {"SnapshotId", ""},
                               {"Device", "/dev/xvda"},
                               {"Format", ""}}})}}},
              {"Tags", {{"Tag", Json::array()}}}};
  // Public images carry no owner; ImageOwnerId is a number on the wire
  // (account ids are 16 digits).
  const bool numeric = !i.owner_id.empty() && i.owner_id.size() <= 18 &&
                       std::all_of(i.owner_id.begin(), i.owner_id.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
  if (numeric) out["ImageOwnerId"] = std::stoll(i.owner_id);
  return out;
}

// Filter.N's creation times: yyyy-MM-ddTHH:mmZ as ECS documents them, or
// with seconds. Unix milliseconds.
Result<int64_t> CreationTime(const std::string& key, const std::string& v) {
  std::string s = v;
  if (s.size() == 17 && s.back() == 'Z') s.insert(16, ":00");
  std::optional<int64_t> secs = ParseIso8601(s);
  if (!secs) return gerr::InvalidParam("Filter." + key, "expected yyyy-MM-ddTHH:mmZ");
  return *secs * 1000;
}

Result<ImageFilter> FilterFrom(const Args& args) {
  ImageFilter f;
  f.ids = CommaList(args.String("ImageId"));
  f.statuses = CommaList(args.String("Status"));
  f.owner_alias = args.String("ImageOwnerAlias");
  f.name = args.String("ImageName");
  f.os_type = args.String("OSType");
  if (auto owner = args.Integer("ImageOwnerId")) f.owner_id = std::to_string(*owner);
  f.architecture = args.String("Architecture");
  f.image_family = args.String("ImageFamily");
  f.is_public = args.Boolean("IsPublic");
  f.usage = args.String("Usage");
  for (const auto& fields : args.Objects("Filter")) {
    std::string key, value;
    for (const auto& [k, v] : fields) (k == "Key" ? key : value) = v;
    if (key.empty() || value.empty()) continue;  // ECS ignores a half filter
    SWASD_ASSIGN_OR_RETURN(int64_t ms, CreationTime(key, value));
    (key == "CreationStartTime" ? f.created_from_ms : f.created_to_ms) = ms;
  }
  return f;
}

ImageAttributes AttributesFrom(const Args& args, const char* name, const char* description) {
  return {args.String(name), args.String(description), args.String("ImageFamily")};
}

}  // namespace

void AddImageOperations(Routes* r, const Services* s) {
  r->Read("DescribeImages", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            std::string region = *args.String("RegionId");
            SWASD_ASSIGN_OR_RETURN(ImageFilter filter, FilterFrom(args));
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

  r->Write("CreateImage", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             auto instance = args.String("InstanceId");
             if (!instance) return errors::kCreateImageSourceMissing;
             SWASD_ASSIGN_OR_RETURN(std::string id,
                                    s->service->CreateImage(
                                        tx, ctx.principal.account_id, *args.String("RegionId"),
                                        *instance, AttributesFrom(args, "ImageName", "Description")));
             return Json{{"ImageId", id}};
           });

  r->Write("CopyImage", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             std::string region = *args.String("RegionId");
             ImageAttributes attrs =
                 AttributesFrom(args, "DestinationImageName", "DestinationDescription");
             attrs.image_family.reset();
             SWASD_ASSIGN_OR_RETURN(
                 std::string id,
                 s->service->CopyImage(tx, ctx.principal.account_id, region,
                                       *args.String("ImageId"),
                                       args.String("DestinationRegionId").value_or(region), attrs));
             return Json{{"ImageId", id}};
           });

  r->Write("DeleteImage", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->DeleteImage(
                 tx, ctx.principal.account_id, *args.String("RegionId"), *args.String("ImageId"),
                 args.Boolean("Force").value_or(false)));
             return Json::object();
           });

  r->Write("ModifyImageAttribute", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->ModifyImageAttribute(
                 tx, ctx.principal.account_id, *args.String("RegionId"), *args.String("ImageId"),
                 AttributesFrom(args, "ImageName", "Description")));
             return Json::object();
           });

  r->Write("ModifyImageSharePermission", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->ModifyImageSharePermission(
                 tx, ctx.principal.account_id, *args.String("RegionId"), *args.String("ImageId"),
                 args.Repeated("AddAccount"), args.Repeated("RemoveAccount")));
             return Json::object();
           });

  r->Read("DescribeImageSharePermission", [s](store::Tx& tx, const CallContext& ctx, const Args& args) -> Result<Json> {
            std::string region = *args.String("RegionId");
            std::string image = *args.String("ImageId");
            store::Page page = gateway::PageFrom(args);
            SWASD_ASSIGN_OR_RETURN(auto listed, s->service->DescribeImageSharePermission(
                                                    tx, ctx.principal.account_id, region,
                                                    image, page));
            Json accounts = Json::array();
            for (const auto& a : listed.items) {
              accounts.push_back({{"AliyunId", a.account_id},
                                  {"SharedTime", FormatIso8601(a.shared_ms / 1000)}});
            }
            return Json{{"RegionId", region},
                        {"ImageId", image},
                        {"TotalCount", listed.total},
                        {"PageNumber", page.number},
                        {"PageSize", page.size},
                        {"ShareGroups", {{"ShareGroup", Json::array()}}},
                        {"Accounts", {{"Account", std::move(accounts)}}}};
          });
}

}  // namespace swasd::ecs::api
