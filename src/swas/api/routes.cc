#include "swas/api/routes.h"

#include "base/errors.h"
#include "gateway/common_params.h"
#include "swas/catalog.h"
#include "swas/api/tags.h"
#include "swas/errors.h"

namespace swasd::swas::api {
namespace {

using gateway::Args;
using gateway::CallContext;
using gateway::Json;
using gateway::ListArg;
using gateway::Routes;

Json Empty() { return Json::object(); }

// --- Response shapes (field names from the SDK models, sdk/models.txt) -------

Json InstanceJson(const Instance& v, const std::vector<Disk>& disks) {
  const Plan* plan = FindPlan(v.plan_id);
  Json disk_list = Json::array();
  for (const auto& d : disks) {
    disk_list.push_back({{"DiskId", d.id}, {"DiskName", d.name}, {"Size", d.size},
                         {"Category", "ESSD"}, {"DiskType", d.type},
                         {"Status", "In_use"}, {"Device", d.device},
                         {"DiskChargeType", "PrePaid"}, {"RegionId", d.region_id},
                         {"CreationTime", FormatMs(d.created_ms)},
                         {"ResourceGroupId", ResourceGroupOf(d.account_id, d)},
                         {"DiskTags", TagsJson(d.tags)}});
  }
  return {{"InstanceId", v.id},
          {"InstanceName", v.name},
          {"RegionId", v.region_id},
          {"Status", v.life.status},
          {"BusinessStatus", "Normal"},
          {"ChargeType", v.charge_type},
          {"CreationTime", FormatMs(v.created_ms)},
          {"ExpiredTime", FormatMs(v.expires_ms)},
          {"ImageId", v.image_id},
          {"PlanId", v.plan_id},
          {"PlanType", "NORMAL"},
          {"PublicIpAddress", v.public_ip},
          {"InnerIpAddress", v.inner_ip},
          {"DdosStatus", "Normal"},
          {"Uuid", v.id},
          {"Combination", false},
          {"DisableReason", ""},
          {"Image", {{"ImageName", v.image_name},
                     {"ImageVersion", v.os_version},
                     {"OsType", v.os_type},
                     {"ImageType", FindPublicImage(v.image_id)
                                       ? FindPublicImage(v.image_id)->type
                                       : std::string("custom")}}},
          {"ResourceSpec", plan ? Json{{"Cpu", plan->core},
                                       {"Memory", plan->memory},
                                       {"DiskSize", plan->disk_size},
                                       {"Bandwidth", plan->bandwidth},
                                       {"Flow", plan->flow},
                                       {"DiskCategory", "ESSD"}}
                                : Json::object()},
          {"NetworkAttributes", Json::array({{{"PublicIpAddress", v.public_ip},
                                              {"PrivateIpAddress", v.inner_ip},
                                              {"PublicIpDdosStatus", "Normal"},
                                              {"PeakBandwidth", plan ? plan->bandwidth : 0}}})},
          {"Disks", std::move(disk_list)},
          {"ResourceGroupId", ResourceGroupOf(v.account_id, v)},
          {"Tags", TagsJson(v.tags)}};
}

Json DiskJson(const Disk& d, const std::string& instance_name) {
  return {{"DiskId", d.id},
          {"DiskName", d.name},
          {"Size", d.size},
          {"Category", "ESSD"},
          {"DiskType", d.type},
          {"Status", "In_use"},
          {"Device", d.device},
          {"DiskChargeType", "PrePaid"},
          {"InstanceId", d.instance_id},
          {"InstanceName", instance_name},
          {"RegionId", d.region_id},
          {"CreationTime", FormatMs(d.created_ms)},
          {"Remark", d.remark},
          {"ResourceGroupId", ResourceGroupOf(d.account_id, d)},
          {"Tags", TagsJson(d.tags)}};
}

Json SnapshotJson(const Snapshot& s) {
  bool done = s.life.status == "Accomplished";
  return {{"SnapshotId", s.id},
          {"SnapshotName", s.name},
          {"Status", s.life.status},
          {"Progress", done ? "100%" : "0%"},
          {"SourceDiskId", s.disk_id},
          {"SourceDiskType", s.source_disk_type},
          {"InstanceId", s.instance_id},
          {"RegionId", s.region_id},
          {"CreationTime", FormatMs(s.created_ms)},
          {"RollbackTime", s.rollback_ms ? FormatMs(s.rollback_ms) : ""},
          {"Remark", s.remark},
          {"ResourceGroupId", ResourceGroupOf(s.account_id, s)},
          {"Tags", TagsJson(s.tags)}};
}

// Field by field rather than as a brace initializer: nlohmann builds an
// initializer list as nested arrays and copies every value out of it, which
// made this a quarter of a ListCustomImages' CPU (docs/performance.md).
Json ImageJson(const CustomImage& i) {
  Json j = Json::object();
  j["ImageId"] = i.id;
  j["Name"] = i.name;
  j["Description"] = i.description;
  j["RegionId"] = i.region_id;
  j["Status"] = i.life.status;
  j["CreationTime"] = FormatMs(i.created_ms);
  j["SystemSnapshotId"] = i.system_snapshot_id;
  j["SystemSnapshotName"] = i.system_snapshot_name;
  j["DataSnapshotId"] = i.data_snapshot_id;
  j["DataSnapshotName"] = i.data_snapshot_name;
  j["InstanceId"] = i.instance_id;
  j["InstanceName"] = i.instance_name;
  // Account ids start with 1 and have 16 digits: exact as a JSON number in
  // every client (below 2^53).
  j["UserId"] = std::stoll(i.account_id);
  j["InShare"] = i.in_share;
  j["InShareUser"] = i.received || !i.share_accounts.empty();
  j["OsType"] = i.os_type;
  j["SourceImageName"] = i.source_image_name;
  j["SourceImageVersion"] = i.source_image_version;
  j["RequiredSystemDiskSize"] = i.required_system_disk_size;
  j["RequiredDataDiskSize"] = i.required_data_disk_size;
  j["CreateInstances"] = i.create_instances;
  j["ResourceGroupId"] = ResourceGroupOf(i.account_id, i);
  j["Tags"] = TagsJson(i.tags);
  return j;
}

template <typename T, typename F>
Json PagedJson(const char* key, const Listed<T>& listed, Page page, F to_json) {
  Json items = Json::array();
  for (const auto& v : listed.items) items.push_back(to_json(v));
  return {{"TotalCount", listed.total},
          {"PageNumber", page.number},
          {"PageSize", page.size},
          {key, std::move(items)}};
}

// --- Operations -------------------------------------------------------------------


// "No authorization for this operation" (API page): any authenticated
// caller may list regions (api/overlay: "authorize": false). The docs list
// zh-CN (default) and en-US; anything else is refused rather than ignored.
void AddRegions(Routes* r, const Services* s) {
  r->RawRead("ListRegions", [s](const CallContext& ctx, const Args& args) -> Result<Json> {
    bool english = args.String("AcceptLanguage").value_or("zh-CN") == "en-US";
    std::string endpoint = s->public_endpoint.empty() ? ctx.host : s->public_endpoint;
    Json regions = Json::array();
    for (const Region& r : s->regions->regions()) {
      regions.push_back({{"RegionId", r.region_id},
                         {"LocalName", english ? r.name_en : r.name_zh},
                         {"RegionEndpoint", endpoint}});
    }
    return Json{{"Regions", std::move(regions)}};
  });
}

void AddCatalog(Routes* r, const Services* s) {
  r->Read("ListPlans", [](store::Tx&, const CallContext&, const std::string&, const Args&) -> Result<Json> {
            Json plans = Json::array();
            for (const Plan& p : Plans()) {
              plans.push_back({{"PlanId", p.plan_id}, {"Core", p.core}, {"Memory", p.memory},
                               {"DiskSize", p.disk_size}, {"Bandwidth", p.bandwidth},
                               {"Flow", p.flow}, {"OriginPrice", p.origin_price},
                               {"Currency", "CNY"}, {"SupportPlatform", p.support_platform},
                               {"DiskType", "ESSD"}, {"PlanType", "NORMAL"},
                               {"PublicIpNum", "1"}});
            }
            return Json{{"Plans", std::move(plans)}};
          });

  r->Read("ListImages", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
              const Args& args) -> Result<Json> {
            auto type = args.String("ImageType");
            auto ids = ListArg(args, "ImageIds");
            auto wanted = [&](const std::string& id) {
              return ids.empty() || std::find(ids.begin(), ids.end(), id) != ids.end();
            };
            Json out = Json::array();
            for (const auto& i : PublicImages()) {
              if ((type && *type != i.type) || !wanted(i.image_id)) continue;
              out.push_back({{"ImageId", i.image_id}, {"ImageName", i.name},
                             {"ImageType", i.type}, {"Description", i.description},
                             {"Platform", i.platform}});
            }
            if (!type || *type == "custom") {
              ImageFilter f;
              f.ids = ids;
              SWASD_ASSIGN_OR_RETURN(auto mine,
                                     s->service->ListCustomImages(tx, ctx.principal.account_id,
                                                                  region, f, {1, 1'000'000}));
              for (const auto& i : mine.items) {
                out.push_back({{"ImageId", i.id}, {"ImageName", i.name},
                               {"ImageType", "custom"}, {"Description", i.description},
                               {"Platform", i.os_type}});
              }
            }
            return Json{{"Images", std::move(out)}};
          });
}

// Subscription months, in CreateInstances and RenewInstance alike.
Status CheckPeriod(int64_t months) {
  for (int64_t ok : {1, 3, 6, 12, 24, 36}) {
    if (months == ok) return Status::Ok();
  }
  return ::swasd::errors::InvalidParam("Period", "valid values are 1, 3, 6, 12, 24, 36");
}

void AddInstances(Routes* r, const Services* s) {
  r->Write("CreateInstances", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             int64_t period = *args.Integer("Period");
             SWASD_RETURN_IF_ERROR(CheckPeriod(period));
             CreateInstancesRequest req;
             req.plan_id = *args.String("PlanId");
             req.image_id = *args.String("ImageId");
             req.period = static_cast<int>(period);
             req.amount = static_cast<int>(args.Integer("Amount").value_or(1));
             req.auto_renew = args.Boolean("AutoRenew").value_or(false);
             req.data_disk_size = static_cast<int>(args.Integer("DataDiskSize").value_or(0));
             if (req.data_disk_size % 20 != 0) {
               return ::swasd::errors::InvalidParam("DataDiskSize",
                                                    "must be a multiple of 20 (GiB), 0 for none");
             }
             SWASD_ASSIGN_OR_RETURN(
                 auto ids, s->service->CreateInstances(tx, ctx.principal.account_id, region, req));
             return Json{{"InstanceIds", ids}};
           });

  r->Read("ListInstances", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
              const Args& args) -> Result<Json> {
            InstanceFilter f;
            f.ids = ListArg(args, "InstanceIds");
            f.public_ips = ListArg(args, "PublicIpAddresses");
            f.status = args.String("Status");
            f.name = args.String("InstanceName");
            f.charge_type = args.String("ChargeType");
            f.tagging = TagFilterFrom(args);
            Page page = gateway::PageFrom(args);
            SWASD_ASSIGN_OR_RETURN(auto listed, s->service->ListInstances(
                                                    tx, ctx.principal.account_id, region, f, page));
            Json items = Json::array();
            for (const auto& v : listed.items) {
              SWASD_ASSIGN_OR_RETURN(auto disks, s->service->ListDisks(
                                                     tx, ctx.principal.account_id, region, {},
                                                     v.id, std::nullopt, {1, 100}));
              items.push_back(InstanceJson(v, disks.items));
            }
            return Json{{"TotalCount", listed.total}, {"PageNumber", page.number},
                        {"PageSize", page.size}, {"Instances", std::move(items)}};
          });

  r->Read("ListInstanceStatus", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
              const Args& args) -> Result<Json> {
            InstanceFilter f;
            f.ids = ListArg(args, "InstanceIds");
            Page page = gateway::PageFrom(args);
            SWASD_ASSIGN_OR_RETURN(auto listed, s->service->ListInstances(
                                                    tx, ctx.principal.account_id, region, f, page));
            return PagedJson("InstanceStatuses", listed, page, [](const Instance& v) {
              return Json{{"InstanceId", v.id}, {"Status", v.life.status}};
            });
          });

  struct PowerOp {
    const char* action;
    Service::Power power;
  };
  for (const PowerOp& p : {PowerOp{"StartInstance", Service::Power::kStart},
                           PowerOp{"StopInstance", Service::Power::kStop},
                           PowerOp{"RebootInstance", Service::Power::kReboot}}) {
    Service::Power power = p.power;
    r->Write(p.action, [s, power](store::Tx& tx, const CallContext& ctx, const std::string& region,
                        const Args& args) -> Result<Json> {
               SWASD_RETURN_IF_ERROR(s->service->ChangePower(
                   tx, ctx.principal.account_id, region, *args.String("InstanceId"), power));
               return Empty();
             });
  }

  r->Write("ResetSystem", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->ResetSystem(tx, ctx.principal.account_id, region,
                                                           *args.String("InstanceId"),
                                                           args.String("ImageId")));
             return Empty();
           });

  r->Write("UpdateInstanceAttribute", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             if (auto password = args.String("Password")) {
               SWASD_RETURN_IF_ERROR(s->service->CheckNewPassword(
                   tx, ctx.principal.account_id, region, *args.String("InstanceId"), *password));
             }
             SWASD_RETURN_IF_ERROR(s->service->UpdateInstance(tx, ctx.principal.account_id,
                                                              region, *args.String("InstanceId"),
                                                              args.String("InstanceName")));
             return Empty();
           });

  r->Read("ListDisks", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
              const Args& args) -> Result<Json> {
            Page page = gateway::PageFrom(args);
            SWASD_ASSIGN_OR_RETURN(
                auto listed,
                s->service->ListDisks(tx, ctx.principal.account_id, region,
                                      ListArg(args, "DiskIds"), args.String("InstanceId"),
                                      args.String("DiskType"), page, TagFilterFrom(args)));
            Json items = Json::array();
            for (const auto& d : listed.items) {
              auto inst = s->service->GetInstance(tx, ctx.principal.account_id, region,
                                                  d.instance_id);
              items.push_back(DiskJson(d, inst.ok() ? inst->name : ""));
            }
            return Json{{"TotalCount", listed.total}, {"PageNumber", page.number},
                        {"PageSize", page.size}, {"Disks", std::move(items)}};
          });
}

void AddSnapshots(Routes* r, const Services* s) {
  r->Write("CreateSnapshot", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             SWASD_ASSIGN_OR_RETURN(Tagging tagging, TaggingFrom(args));
             SWASD_ASSIGN_OR_RETURN(
                 std::string id,
                 s->service->CreateSnapshot(tx, ctx.principal.account_id, region,
                                            *args.String("DiskId"),
                                            args.String("SnapshotName").value_or("")));
             SWASD_RETURN_IF_ERROR(s->service->SetTagging(tx, ctx.principal.account_id, region,
                                                          TagResourceType::kSnapshot, id,
                                                          std::move(tagging)));
             return Json{{"SnapshotId", id}};
           });

  r->Read("ListSnapshots", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
              const Args& args) -> Result<Json> {
            Page page = gateway::PageFrom(args);
            SWASD_ASSIGN_OR_RETURN(
                auto listed, s->service->ListSnapshots(
                                 tx, ctx.principal.account_id, region,
                                 ListArg(args, "SnapshotIds"), args.String("DiskId"),
                                 args.String("InstanceId"), args.String("SourceDiskType"), page,
                                 TagFilterFrom(args)));
            return PagedJson("Snapshots", listed, page, SnapshotJson);
          });

  r->Write("DeleteSnapshot", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->DeleteSnapshot(tx, ctx.principal.account_id,
                                                              region, *args.String("SnapshotId")));
             return Empty();
           });
}

void AddImages(Routes* r, const Services* s) {
  r->Write("CreateCustomImage", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             CreateImageRequest req;
             req.instance_id = *args.String("InstanceId");
             req.system_snapshot_id = *args.String("SystemSnapshotId");
             req.data_snapshot_id = args.String("DataSnapshotId").value_or("");
             req.name = *args.String("ImageName");
             req.description = args.String("Description").value_or("");
             SWASD_ASSIGN_OR_RETURN(Tagging tagging, TaggingFrom(args));
             SWASD_ASSIGN_OR_RETURN(std::string id, s->service->CreateCustomImage(
                                                        tx, ctx.principal.account_id, region, req));
             SWASD_RETURN_IF_ERROR(s->service->SetTagging(tx, ctx.principal.account_id, region,
                                                          TagResourceType::kCustomImage, id,
                                                          std::move(tagging)));
             return Json{{"ImageId", id}};
           });

  r->Read("ListCustomImages", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
              const Args& args) -> Result<Json> {
            ImageFilter f;
            f.ids = ListArg(args, "ImageIds");
            f.names = ListArg(args, "ImageNames");
            f.shared = args.Boolean("Share");
            f.instance_id = args.String("InstanceId");
            f.system_snapshot_id = args.String("SystemSnapshotId");
            f.data_snapshot_id = args.String("DataSnapshotId");
            f.tagging = TagFilterFrom(args);
            Page page = gateway::PageFrom(args);
            SWASD_ASSIGN_OR_RETURN(auto listed, s->service->ListCustomImages(
                                                    tx, ctx.principal.account_id, region, f, page));
            // The SDK model types TotalCount, PageNumber and PageSize as
            // strings for this operation only; the gateway sends them so
            // (gateway/conform.h), like every field, from the model.
            return PagedJson("CustomImages", listed, page, ImageJson);
          });

  r->Write("DeleteCustomImage", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->DeleteCustomImages(
                 tx, ctx.principal.account_id, region, {*args.String("ImageId")}));
             return Empty();
           });

  r->Write("DeleteCustomImages", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->DeleteCustomImages(
                 tx, ctx.principal.account_id, region, ListArg(args, "ImageIds")));
             return Empty();
           });

  // Account IDs travel as numbers (Account.N); the gateway checked each is
  // an integer, the service that it names a known account.
  auto accounts = [](const Args& args) {
    std::vector<std::string> out;
    for (auto& a : args.Repeated("Account")) {
      if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(std::move(a));
    }
    return out;
  };
  r->Write("AddCustomImageShareAccount", [s, accounts](store::Tx& tx, const CallContext& ctx,
               const std::string& region, const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->AddShareAccounts(
                 tx, ctx.principal.account_id, region, *args.String("ImageId"), accounts(args)));
             return Empty();
           });
  r->Write("RemoveCustomImageShareAccount", [s, accounts](store::Tx& tx, const CallContext& ctx,
               const std::string& region, const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->RemoveShareAccounts(
                 tx, ctx.principal.account_id, region, *args.String("ImageId"), accounts(args)));
             return Empty();
           });
  r->Read("ListCustomImageShareAccounts", [s](store::Tx& tx, const CallContext& ctx,
              const std::string& region, const Args& args) -> Result<Json> {
            Page page = gateway::PageFrom(args);
            SWASD_ASSIGN_OR_RETURN(auto listed, s->service->ListShareAccounts(
                                                    tx, ctx.principal.account_id, region,
                                                    *args.String("ImageId"), page));
            // SharedTime as the API page's example shows it:
            // "2024-07-15 13:59:21.0" (UTC here).
            return PagedJson("ImageShareUsers", listed, page, [](const CustomImage::ShareAccount& a) {
              std::string t = FormatMs(a.shared_ms);  // 2024-07-15T13:59:21Z
              t[10] = ' ';
              t.back() = '.';
              return Json{{"UserId", std::stoll(a.account_id)}, {"SharedTime", t + "0"}};
            });
          });

  r->Write("ModifyImageShareStatus", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             ShareOperation op = *args.String("Operation") == "Share" ? ShareOperation::kShare
                                                                      : ShareOperation::kUnShare;
             SWASD_RETURN_IF_ERROR(s->service->ModifyImageShareStatus(
                 tx, ctx.principal.account_id, region, *args.String("ImageId"), op));
             return Empty();
           });
}

// Disks, snapshots and plan changes (swas/disks.cc).
void AddDiskOps(Routes* r, const Services* s) {
  r->Write("DeleteSnapshots", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->DeleteSnapshots(
                 tx, ctx.principal.account_id, region, ListArg(args, "SnapshotIds")));
             return Empty();
           });

  r->Write("UpdateSnapshotAttribute", [s](store::Tx& tx, const CallContext& ctx,
               const std::string& region, const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->UpdateSnapshotRemark(
                 tx, ctx.principal.account_id, region, *args.String("SnapshotId"),
                 args.String("Remark").value_or("")));
             return Empty();
           });

  r->Write("UpdateDiskAttribute", [s](store::Tx& tx, const CallContext& ctx,
               const std::string& region, const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->UpdateDiskRemark(
                 tx, ctx.principal.account_id, region, *args.String("DiskId"),
                 args.String("Remark").value_or("")));
             return Empty();
           });

  r->Write("ResetDisk", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->ResetDisk(tx, ctx.principal.account_id, region,
                                                         *args.String("DiskId"),
                                                         *args.String("SnapshotId")));
             return Empty();
           });

  r->Write("UpgradeInstance", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->UpgradeInstance(
                 tx, ctx.principal.account_id, region, *args.String("InstanceId"),
                 *args.String("PlanId")));
             return Empty();
           });

  r->Write("RenewInstance", [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             int64_t period = *args.Integer("Period");
             SWASD_RETURN_IF_ERROR(CheckPeriod(period));
             SWASD_RETURN_IF_ERROR(s->service->RenewInstance(tx, ctx.principal.account_id, region,
                                                             *args.String("InstanceId"),
                                                             static_cast<int>(period)));
             return Empty();
           });
}

// Firewall rules (swas/firewall.cc): what Terraform's firewall rule resource
// calls.
void AddFirewallOps(Routes* r, const Services* s) {
  r->Read("ListFirewallRules", [s](store::Tx& tx, const CallContext& ctx,
              const std::string& region, const Args& args) -> Result<Json> {
            Page page = gateway::PageFrom(args);
            SWASD_ASSIGN_OR_RETURN(auto listed, s->service->ListFirewallRules(
                                                    tx, ctx.principal.account_id, region,
                                                    *args.String("InstanceId"),
                                                    args.String("FirewallRuleId"), page));
            return PagedJson("FirewallRules", listed, page, [](const FirewallRule& f) {
              return Json{{"RuleId", f.id}, {"Port", f.port}, {"RuleProtocol", f.protocol},
                          {"Remark", f.remark}, {"Policy", "accept"},
                          {"SourceCidrIp", "0.0.0.0/0"}, {"Tags", Json::array()}};
            });
          });

  r->Write("CreateFirewallRule", [s](store::Tx& tx, const CallContext& ctx,
               const std::string& region, const Args& args) -> Result<Json> {
             SWASD_ASSIGN_OR_RETURN(
                 std::string id,
                 s->service->CreateFirewallRule(tx, ctx.principal.account_id, region,
                                                *args.String("InstanceId"), *args.String("Port"),
                                                *args.String("RuleProtocol"),
                                                args.String("Remark").value_or("")));
             return Json{{"FirewallId", id}};
           });

  r->Write("DeleteFirewallRule", [s](store::Tx& tx, const CallContext& ctx,
               const std::string& region, const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->DeleteFirewallRule(
                 tx, ctx.principal.account_id, region, *args.String("InstanceId"),
                 *args.String("RuleId")));
             return Empty();
           });
}

}  // namespace

Status Register(gateway::Registry* registry, const Services* services) {
  SWASD_ASSIGN_OR_RETURN(const gateway::Overlay* overlay,
                         gateway::Overlay::Builtin(kProduct.code,
                                                   {errors::kInvalidParamOperationIllegal,
                                                    errors::kInvalidResourceTypeNotFound}));
  // Every SWAS operation names a region that must be served.
  Routes routes(kProduct, overlay, services,
                {.before = [services](const Args& args) -> Status {
                  return services->service->CheckRegion(args.String("RegionId").value_or(""));
                }});
  AddRegions(&routes, services);
  AddCatalog(&routes, services);
  AddInstances(&routes, services);
  AddSnapshots(&routes, services);
  AddImages(&routes, services);
  AddTags(&routes, services);
  AddDiskOps(&routes, services);
  AddFirewallOps(&routes, services);
  return routes.Register(registry);
}

}  // namespace swasd::swas::api
