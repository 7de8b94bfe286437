#include "swas/api/routes.h"

#include "base/errors.h"
#include "gateway/common_params.h"
#include "swas/catalog.h"
#include "swas/errors.h"

namespace swasd::swas::api {
namespace {

using gateway::Args;
using gateway::CallContext;
using gateway::Json;
using gateway::OperationSpec;
using gateway::ParamSpec;
using gateway::ParamType;

using gateway::ClientTokenParam;
using gateway::IdParam;
using gateway::IdsParam;
using gateway::ListArg;
using gateway::PageNumberParam;
using gateway::PageSizeParam;

ParamSpec RegionIdParam() { return gateway::RegionIdParam(); }

Page SwasPage(const Args& args) {
  auto p = gateway::PageFrom(args);
  return {p.number, p.size};
}

// An operation row: RAM action "swas-open:<Action>", as the API pages list.
OperationSpec Op(std::string_view action, std::string_view summary,
                 std::string_view resource, bool mutating,
                 std::vector<ParamSpec> params) {
  OperationSpec op;
  op.product = kProduct.code;
  op.version = kProduct.version;
  op.action = action;
  op.summary = summary;
  op.resource = resource;
  op.mutating = mutating;
  op.ram_action = "swas-open:" + std::string(action);
  op.params = std::move(params);
  return op;
}

// A read: check the region, run `fn` in a read transaction.
template <typename F>
Result<Json> Read(const Services* s, const Args& args, F fn) {
  std::string region = *args.String("RegionId");
  SWASD_RETURN_IF_ERROR(s->service->CheckRegion(region));
  return gateway::ReadJson(s->store, [&](store::Tx& tx) { return fn(tx, region); });
}

// A write: check the region, run `fn` once per ClientToken, in one
// transaction with the token's record.
template <typename F>
Result<Json> Write(const Services* s, const CallContext& ctx,
                   const std::string& ram_action, const Args& args, F fn) {
  std::string region = *args.String("RegionId");
  SWASD_RETURN_IF_ERROR(s->service->CheckRegion(region));
  return s->mutator->Run(ctx, ram_action, args,
                         [&](store::Tx& tx) { return fn(tx, region); });
}

// Adds a mutating handler: `fn(tx, ctx, region, args)` returns the body.
template <typename F>
void Mutating(std::vector<OperationSpec>* ops, const Services* s,
              OperationSpec op, F fn) {
  std::string ram = op.ram_action;
  op.claims_nonce = true;  // the handler's only write is Mutator::Run
  op.handler = [s, ram, fn](const CallContext& ctx, const Args& args) -> Result<Json> {
    return Write(s, ctx, ram, args, [&](store::Tx& tx, const std::string& region) {
      return fn(tx, ctx, region, args);
    });
  };
  ops->push_back(std::move(op));
}

// Adds a read handler: `fn(tx, ctx, region, args)` returns the body.
template <typename F>
void Reading(std::vector<OperationSpec>* ops, const Services* s,
             OperationSpec op, F fn) {
  op.handler = [s, fn](const CallContext& ctx, const Args& args) -> Result<Json> {
    return Read(s, args, [&](store::Tx& tx, const std::string& region) {
      return fn(tx, ctx, region, args);
    });
  };
  ops->push_back(std::move(op));
}

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
                         {"CreationTime", FormatMs(d.created_ms)}});
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
          {"Disks", std::move(disk_list)}};
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
          {"Remark", ""}};
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
          {"Remark", ""}};
}

Json ImageJson(const CustomImage& i) {
  return {{"ImageId", i.id},
          {"Name", i.name},
          {"Description", i.description},
          {"RegionId", i.region_id},
          {"Status", i.life.status},
          {"CreationTime", FormatMs(i.created_ms)},
          {"SystemSnapshotId", i.system_snapshot_id},
          {"SystemSnapshotName", i.system_snapshot_name},
          {"DataSnapshotId", i.data_snapshot_id},
          {"DataSnapshotName", i.data_snapshot_name},
          {"InstanceId", i.instance_id},
          {"InstanceName", i.instance_name},
          // Account ids start with 1 and have 16 digits: exact as a JSON
          // number in every client (below 2^53).
          {"UserId", std::stoll(i.account_id)},
          {"InShare", i.in_share},
          {"InShareUser", false},
          {"OsType", i.os_type},
          {"SourceImageName", i.source_image_name},
          {"SourceImageVersion", i.source_image_version},
          {"RequiredSystemDiskSize", i.required_system_disk_size},
          {"RequiredDataDiskSize", i.required_data_disk_size},
          {"CreateInstances", i.create_instances},
          {"Tags", Json::array()}};
}

template <typename T, typename F>
Json Paged(const char* key, const Listed<T>& listed, Page page, F to_json) {
  Json items = Json::array();
  for (const auto& v : listed.items) items.push_back(to_json(v));
  return {{"TotalCount", listed.total},
          {"PageNumber", page.number},
          {"PageSize", page.size},
          {key, std::move(items)}};
}

// --- Operations -------------------------------------------------------------------

constexpr char kImageArn[] = "acs:swas-open:{RegionId}:{AccountId}:customimage/{ImageId}";
constexpr char kInstanceArn[] = "acs:swas-open:{RegionId}:{AccountId}:instance/{InstanceId}";
constexpr char kSnapshotArn[] = "acs:swas-open:{RegionId}:{AccountId}:snapshot/{SnapshotId}";

OperationSpec ListRegions(const Services* s) {
  OperationSpec op = Op("ListRegions",
                        "Queries the regions in which Simple Application Server is supported.",
                        "*", false,
                        {{.name = "AcceptLanguage",
                          .description = "Language of LocalName: zh-CN (default) or en-US.",
                          .allowed = {"zh-CN", "en-US"}}});
  // The docs list zh-CN (default) and en-US; anything else is refused
  // rather than ignored. "No authorization for this operation" (API page):
  // any authenticated caller may list regions.
  op.authorize = false;
  op.handler = [s](const CallContext& ctx, const Args& args) -> Result<Json> {
    bool english = args.String("AcceptLanguage").value_or("zh-CN") == "en-US";
    std::string endpoint = s->public_endpoint.empty() ? ctx.host : s->public_endpoint;
    Json regions = Json::array();
    for (const Region& r : s->regions->regions()) {
      regions.push_back({{"RegionId", r.region_id},
                         {"LocalName", english ? r.name_en : r.name_zh},
                         {"RegionEndpoint", endpoint}});
    }
    return Json{{"Regions", std::move(regions)}};
  };
  return op;
}

void AddCatalog(std::vector<OperationSpec>* ops, const Services* s) {
  Reading(ops, s, Op("ListPlans", "Queries the plans of simple application servers.", "*",
                     false, {RegionIdParam()}),
          [](store::Tx&, const CallContext&, const std::string&, const Args&) -> Result<Json> {
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

  OperationSpec images = Op("ListImages", "Queries system, application and custom images.",
                            "*", false,
                            {RegionIdParam(), IdsParam("ImageIds", 50, "Image IDs, a JSON array."),
                             {.name = "ImageType", .description = "system, app or custom.",
                              .allowed = {"system", "app", "custom"}}});
  images.unsupported = {"OsType"};
  Reading(ops, s, std::move(images),
          [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
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

void AddInstances(std::vector<OperationSpec>* ops, const Services* s) {
  OperationSpec create = Op(
      "CreateInstances", "Creates subscription simple application servers.",
      "acs:swas-open:{RegionId}:{AccountId}:instance/*", true,
      {RegionIdParam(), IdParam("PlanId", true, "Plan; see ListPlans."),
       IdParam("ImageId", true, "System, application or custom image; see ListImages."),
       {.name = "Period", .type = ParamType::kInteger, .required = true,
        .description = "Subscription months: 1, 3, 6, 12, 24 or 36.", .min_value = 1,
        .max_value = 36},
       {.name = "Amount", .type = ParamType::kInteger,
        .description = "How many servers, 1-20 (default 1).", .min_value = 1, .max_value = 20},
       {.name = "AutoRenew", .type = ParamType::kBoolean, .description = "Renew automatically."},
       {.name = "AutoRenewPeriod", .type = ParamType::kInteger,
        .description = "Months per automatic renewal; accepted, not stored.", .min_value = 1,
        .max_value = 36},
       {.name = "ChargeType", .description = "PrePaid, the only charge type.",
        .allowed = {"PrePaid"}},
       {.name = "DataDiskSize", .type = ParamType::kInteger,
        .description = "Data disk GiB; accepted, no data disk is created.", .min_value = 0,
        .max_value = 16384},
       ClientTokenParam()});
  create.unsupported = {"DataDiskSize (accepted; no data disk is created)",
                        "AutoRenewPeriod (accepted, not stored)"};
  Mutating(ops, s, std::move(create),
           [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             int64_t period = *args.Integer("Period");
             if (period != 1 && period != 3 && period != 6 && period != 12 && period != 24 &&
                 period != 36) {
               return ::swasd::errors::InvalidParam("Period",
                                                    "valid values are 1, 3, 6, 12, 24, 36");
             }
             CreateInstancesRequest req;
             req.plan_id = *args.String("PlanId");
             req.image_id = *args.String("ImageId");
             req.period = static_cast<int>(period);
             req.amount = static_cast<int>(args.Integer("Amount").value_or(1));
             req.auto_renew = args.Boolean("AutoRenew").value_or(false);
             SWASD_ASSIGN_OR_RETURN(
                 auto ids, s->service->CreateInstances(tx, ctx.principal.account_id, region, req));
             return Json{{"InstanceIds", ids}};
           });

  Reading(ops, s,
          Op("ListInstances", "Queries simple application servers.",
             "acs:swas-open:{RegionId}:{AccountId}:instance/*", false,
             {RegionIdParam(), IdsParam("InstanceIds", 100, "Instance IDs, a JSON array."),
              IdsParam("PublicIpAddresses", 100, "Public IPs, a JSON array."),
              {.name = "ChargeType", .description = "PrePaid.", .allowed = {"PrePaid"}},
              {.name = "Status", .description = "Pending, Starting, Running, Stopping, Stopped."},
              {.name = "InstanceName", .description = "Exact name.", .max_length = 128},
              PageNumberParam(), PageSizeParam()}),
          [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
              const Args& args) -> Result<Json> {
            InstanceFilter f;
            f.ids = ListArg(args, "InstanceIds");
            f.public_ips = ListArg(args, "PublicIpAddresses");
            f.status = args.String("Status");
            f.name = args.String("InstanceName");
            f.charge_type = args.String("ChargeType");
            Page page = SwasPage(args);
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

  Reading(ops, s,
          Op("ListInstanceStatus", "Queries the status of simple application servers.",
             "acs:swas-open:{RegionId}:{AccountId}:instance/*", false,
             {RegionIdParam(), IdsParam("InstanceIds", 100, "Instance IDs, a JSON array."),
              PageNumberParam(), PageSizeParam()}),
          [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
              const Args& args) -> Result<Json> {
            InstanceFilter f;
            f.ids = ListArg(args, "InstanceIds");
            Page page = SwasPage(args);
            SWASD_ASSIGN_OR_RETURN(auto listed, s->service->ListInstances(
                                                    tx, ctx.principal.account_id, region, f, page));
            return Paged("InstanceStatuses", listed, page, [](const Instance& v) {
              return Json{{"InstanceId", v.id}, {"Status", v.life.status}};
            });
          });

  struct PowerOp {
    const char* action;
    const char* summary;
    Service::Power power;
  };
  for (const PowerOp& p : {PowerOp{"StartInstance", "Starts a server.", Service::Power::kStart},
                           PowerOp{"StopInstance", "Stops a server.", Service::Power::kStop},
                           PowerOp{"RebootInstance", "Restarts a server.",
                                   Service::Power::kReboot}}) {
    Service::Power power = p.power;
    Mutating(ops, s,
             Op(p.action, p.summary, kInstanceArn, true,
                {RegionIdParam(), IdParam("InstanceId", true, "The server."), ClientTokenParam()}),
             [s, power](store::Tx& tx, const CallContext& ctx, const std::string& region,
                        const Args& args) -> Result<Json> {
               SWASD_RETURN_IF_ERROR(s->service->ChangePower(
                   tx, ctx.principal.account_id, region, *args.String("InstanceId"), power));
               return Empty();
             });
  }

  OperationSpec update =
      Op("UpdateInstanceAttribute", "Renames a server.", kInstanceArn, true,
         {RegionIdParam(), IdParam("InstanceId", true, "The server."),
          {.name = "InstanceName", .description = "New name, 2-128 characters.", .min_length = 2,
           .max_length = 128},
          {.name = "Password", .description = "Accepted, not stored.", .max_length = 30},
          ClientTokenParam()});
  update.unsupported = {"Password (accepted, not stored)"};
  Mutating(ops, s, std::move(update),
           [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->UpdateInstance(tx, ctx.principal.account_id,
                                                              region, *args.String("InstanceId"),
                                                              args.String("InstanceName")));
             return Empty();
           });

  Reading(ops, s,
          Op("ListDisks", "Queries the disks of servers.", "acs:swas-open:{RegionId}:{AccountId}:disk/*", false,
             {RegionIdParam(), IdsParam("DiskIds", 100, "Disk IDs, a JSON array."),
              IdParam("InstanceId", false, "Only this server's disks."),
              {.name = "DiskType", .description = "System or Data.", .allowed = {"System", "Data"}},
              PageNumberParam(), PageSizeParam()}),
          [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
              const Args& args) -> Result<Json> {
            Page page = SwasPage(args);
            SWASD_ASSIGN_OR_RETURN(
                auto listed,
                s->service->ListDisks(tx, ctx.principal.account_id, region,
                                      ListArg(args, "DiskIds"), args.String("InstanceId"),
                                      args.String("DiskType"), page));
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

void AddSnapshots(std::vector<OperationSpec>* ops, const Services* s) {
  Mutating(ops, s,
           Op("CreateSnapshot", "Creates a snapshot of a disk.",
              "acs:swas-open:{RegionId}:{AccountId}:snapshot/*", true,
              {RegionIdParam(), IdParam("DiskId", true, "The disk."),
               {.name = "SnapshotName", .description = "Name, at most 128 characters.",
                .max_length = 128},
               ClientTokenParam()}),
           [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             SWASD_ASSIGN_OR_RETURN(
                 std::string id,
                 s->service->CreateSnapshot(tx, ctx.principal.account_id, region,
                                            *args.String("DiskId"),
                                            args.String("SnapshotName").value_or("")));
             return Json{{"SnapshotId", id}};
           });

  Reading(ops, s,
          Op("ListSnapshots", "Queries snapshots.",
             "acs:swas-open:{RegionId}:{AccountId}:snapshot/*", false,
             {RegionIdParam(), IdsParam("SnapshotIds", 100, "Snapshot IDs, a JSON array."),
              IdParam("DiskId", false, "Only this disk's snapshots."),
              IdParam("InstanceId", false, "Only this server's snapshots."),
              {.name = "SourceDiskType", .description = "System or Data.",
               .allowed = {"System", "Data"}},
              PageNumberParam(), PageSizeParam()}),
          [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
              const Args& args) -> Result<Json> {
            Page page = SwasPage(args);
            SWASD_ASSIGN_OR_RETURN(
                auto listed, s->service->ListSnapshots(
                                 tx, ctx.principal.account_id, region,
                                 ListArg(args, "SnapshotIds"), args.String("DiskId"),
                                 args.String("InstanceId"), args.String("SourceDiskType"), page));
            return Paged("Snapshots", listed, page, SnapshotJson);
          });

  Mutating(ops, s,
           Op("DeleteSnapshot", "Deletes a snapshot no custom image was made from.", kSnapshotArn,
              true, {RegionIdParam(), IdParam("SnapshotId", true, "The snapshot."),
                     ClientTokenParam()}),
           [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->DeleteSnapshot(tx, ctx.principal.account_id,
                                                              region, *args.String("SnapshotId")));
             return Empty();
           });
}

void AddImages(std::vector<OperationSpec>* ops, const Services* s) {
  Mutating(ops, s,
           Op("CreateCustomImage", "Creates a custom image from a server's snapshots.",
              "acs:swas-open:{RegionId}:{AccountId}:customimage/*", true,
              {RegionIdParam(), IdParam("InstanceId", true, "The server the snapshots are of."),
               IdParam("SystemSnapshotId", true, "Snapshot of the system disk."),
               IdParam("DataSnapshotId", false, "Snapshot of the data disk."),
               {.name = "ImageName", .required = true,
                .description = "2-128 characters: letters, digits, Chinese, ':', '_', '-', '.'.",
                .max_length = 512},
               {.name = "Description", .description = "At most 256 characters.",
                .max_length = 1024},
               {.name = "ResourceGroupId", .description = "Accepted, not stored.",
                .max_length = 64},
               ClientTokenParam()}),
           [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             CreateImageRequest req;
             req.instance_id = *args.String("InstanceId");
             req.system_snapshot_id = *args.String("SystemSnapshotId");
             req.data_snapshot_id = args.String("DataSnapshotId").value_or("");
             req.name = *args.String("ImageName");
             req.description = args.String("Description").value_or("");
             SWASD_ASSIGN_OR_RETURN(std::string id, s->service->CreateCustomImage(
                                                        tx, ctx.principal.account_id, region, req));
             return Json{{"ImageId", id}};
           });

  OperationSpec list = Op(
      "ListCustomImages", "Queries custom images.",
      "acs:swas-open:{RegionId}:{AccountId}:customimage/*", false,
      {RegionIdParam(), IdsParam("ImageIds", 100, "Image IDs, a JSON array."),
       IdsParam("ImageNames", 100, "Image names, a JSON array."),
       {.name = "Share", .type = ParamType::kBoolean,
        .description = "true: only images shared to ECS; false: only unshared."},
       IdParam("InstanceId", false, "Only images made from this server."),
       IdParam("SystemSnapshotId", false, "Only images made from this snapshot."),
       IdParam("DataSnapshotId", false, "Only images made from this snapshot."),
       PageNumberParam(), PageSizeParam(), ClientTokenParam()});
  list.unsupported = {"ResourceGroupId", "Tag.N.Key/Value"};
  list.canned = {"`InShareUser` (always false: sharing to users is not modelled)",
                 "`Tags` (always empty)"};
  Reading(ops, s, std::move(list),
          [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
              const Args& args) -> Result<Json> {
            ImageFilter f;
            f.ids = ListArg(args, "ImageIds");
            f.names = ListArg(args, "ImageNames");
            f.shared = args.Boolean("Share");
            f.instance_id = args.String("InstanceId");
            f.system_snapshot_id = args.String("SystemSnapshotId");
            f.data_snapshot_id = args.String("DataSnapshotId");
            Page page = SwasPage(args);
            SWASD_ASSIGN_OR_RETURN(auto listed, s->service->ListCustomImages(
                                                    tx, ctx.principal.account_id, region, f, page));
            Json body = Paged("CustomImages", listed, page, ImageJson);
            // The SDK model types these three as strings for this operation
            // only (sdk/README.md §3).
            body["TotalCount"] = std::to_string(listed.total);
            body["PageNumber"] = std::to_string(page.number);
            body["PageSize"] = std::to_string(page.size);
            return body;
          });

  Mutating(ops, s,
           Op("DeleteCustomImage", "Deletes a custom image that is not shared.", kImageArn, true,
              {RegionIdParam(), IdParam("ImageId", true, "The image."), ClientTokenParam()}),
           [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->DeleteCustomImages(
                 tx, ctx.principal.account_id, region, {*args.String("ImageId")}));
             return Empty();
           });

  OperationSpec batch = Op("DeleteCustomImages", "Deletes custom images, all or none.",
                           "acs:swas-open:{RegionId}:{AccountId}:customimage/*", true,
                           {RegionIdParam(), IdsParam("ImageIds", 15, "Image IDs, a JSON array."),
                            ClientTokenParam()});
  batch.params[1].required = true;
  Mutating(ops, s, std::move(batch),
           [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             SWASD_RETURN_IF_ERROR(s->service->DeleteCustomImages(
                 tx, ctx.principal.account_id, region, ListArg(args, "ImageIds")));
             return Empty();
           });

  Mutating(ops, s,
           Op("ModifyImageShareStatus",
              "Shares a custom image to ECS in its region, or cancels the share.", kImageArn,
              true,
              {RegionIdParam(), IdParam("ImageId", true, "The custom image."),
               {.name = "Operation", .required = true,
                .description = "Share (share to ECS) or UnShare (cancel), exactly so.",
                .allowed = {"Share", "UnShare"},
                .invalid_error = errors::kInvalidParamOperationIllegal},
               ClientTokenParam()}),
           [s](store::Tx& tx, const CallContext& ctx, const std::string& region,
               const Args& args) -> Result<Json> {
             ShareOperation op = *args.String("Operation") == "Share" ? ShareOperation::kShare
                                                                      : ShareOperation::kUnShare;
             SWASD_RETURN_IF_ERROR(s->service->ModifyImageShareStatus(
                 tx, ctx.principal.account_id, region, *args.String("ImageId"), op));
             return Empty();
           });
}

}  // namespace

Status Register(gateway::Registry* registry, const Services* services) {
  SWASD_RETURN_IF_ERROR(registry->AddProduct(kProduct));
  std::vector<OperationSpec> ops;
  ops.push_back(ListRegions(services));
  AddCatalog(&ops, services);
  AddInstances(&ops, services);
  AddSnapshots(&ops, services);
  AddImages(&ops, services);
  for (auto& op : ops) SWASD_RETURN_IF_ERROR(registry->AddOperation(std::move(op)));
  return Status::Ok();
}

}  // namespace swasd::swas::api
