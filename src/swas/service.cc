#include "swas/service.h"

#include <algorithm>

#include "base/encoding.h"
#include "base/errors.h"
#include "base/ids.h"
#include "store/document.h"
#include "swas/catalog.h"
#include "swas/errors.h"

namespace swasd::swas {
namespace {

using store::PageOf;

namespace gerr = ::swasd::errors;

// Ids from their own streams under --deterministic-ids (base/ids.h).
std::string NewInstanceId() { return HexLower(ids::RandomBytes(16, "swas/instance")); }
std::string NewId(const char* prefix) {
  return std::string(prefix) + ids::RandomAlnumLower(20, std::string("swas/") + prefix);
}

std::string RandomIp(int first, int second) {
  std::string b = ids::RandomBytes(2, "swas/ip");
  return std::to_string(first) + "." + std::to_string(second) + "." +
         std::to_string(static_cast<unsigned char>(b[0])) + "." +
         std::to_string(1 + static_cast<unsigned char>(b[1]) % 254);
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

using store::LoadAll;
constexpr auto Query = store::QueryOf;

bool IsCjk(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF);
}

}  // namespace

std::string FormatMs(int64_t ms) { return FormatIso8601(ms / 1000); }

bool ValidImageName(std::string_view name) {
  // Decode into code points (the gateway has validated the UTF-8; a name
  // that is not UTF-8 is not a valid name).
  std::vector<uint32_t> cps;
  for (size_t i = 0; i < name.size();) {
    auto ch = DecodeUtf8(name, i);
    if (!ch) return false;
    cps.push_back(ch->code_point);
    i += ch->length;
  }
  if (cps.size() < 2 || cps.size() > 128) return false;
  auto alnum = [](uint32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
  };
  if (!alnum(cps[0]) && !IsCjk(cps[0])) return false;
  for (uint32_t c : cps) {
    if (!alnum(c) && !IsCjk(c) && c != ':' && c != '_' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

Status Service::CheckRegion(std::string_view region_id) const {
  if (regions_->Find(region_id) == nullptr) {
    return errors::kInvalidRegionIdNotFound;
  }
  return Status::Ok();
}

// --- Instances ----------------------------------------------------------------

Result<Instance> Service::GetInstance(store::Tx& tx, const std::string& account,
                                      const std::string& region,
                                      const std::string& id) const {
  SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(kInstanceKind, account, id));
  if (!r || r->region_id != region) return errors::kInvalidInstanceIdNotFound;
  SWASD_ASSIGN_OR_RETURN(Instance v, InstanceFrom(*r));
  v.life.Settle(NowMs());
  return v;
}

Result<std::vector<std::string>> Service::CreateInstances(
    store::Tx& tx, const std::string& account, const std::string& region,
    const CreateInstancesRequest& req) const {
  const Plan* plan = FindPlan(req.plan_id);
  if (plan == nullptr) return errors::kInvalidPlanIdNotFound;
  const int64_t now = NowMs();
  Instance tmpl;
  tmpl.account_id = account;
  tmpl.region_id = region;
  tmpl.plan_id = plan->plan_id;
  tmpl.charge_type = req.charge_type;
  tmpl.period = req.period;
  tmpl.auto_renew = req.auto_renew;
  SWASD_ASSIGN_OR_RETURN(std::optional<CustomImage> custom,
                         InstallImage(tx, account, region, req.image_id, &tmpl));

  std::vector<std::string> created;
  for (int i = 0; i < req.amount; ++i) {
    Instance v = tmpl;
    v.id = NewInstanceId();
    v.name = v.id;  // SWAS names a new server after its id until renamed
    v.created_ms = now + i;  // keeps creation order stable in lists
    v.expires_ms = now + int64_t{req.period} * 30 * 86400 * 1000;
    v.life.Begin("Pending", "Running", now + options_.instance_transition_ms);
    v.public_ip = RandomIp(47, 96);
    v.inner_ip = RandomIp(172, 16);
    Disk sys;
    sys.id = NewId("d-");
    sys.account_id = account;
    sys.region_id = region;
    sys.instance_id = v.id;
    sys.name = "";
    sys.type = "System";
    sys.size = plan->disk_size;
    sys.device = "/dev/xvda";
    sys.created_ms = now + i;
    v.system_disk_id = sys.id;
    SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(sys)));
    if (req.data_disk_size > 0) {
      Disk data = sys;
      data.id = NewId("d-");
      data.type = "Data";
      data.size = req.data_disk_size;
      data.device = "/dev/xvdb";
      v.data_disk_id = data.id;
      SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(data)));
    }
    SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(v)));
    created.push_back(v.id);
  }
  // The owner's CreateInstances lists its own servers only: a recipient's
  // servers are none of its business.
  if (custom && !custom->received) {
    custom->create_instances.insert(custom->create_instances.end(),
                                    created.begin(), created.end());
    SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(*custom)));
  }
  return created;
}

Result<Listed<Instance>> Service::ListInstances(store::Tx& tx,
                                                const std::string& account,
                                                const std::string& region,
                                                const InstanceFilter& filter,
                                                Page page) const {
  auto q = Query(kInstanceKind, account, region);
  q.ids = filter.ids;
  SWASD_ASSIGN_OR_RETURN(auto all,
                         LoadAll<Instance>(tx, q, InstanceFrom, NowMs()));
  std::erase_if(all, [&](const Instance& v) {
    return (filter.status && v.life.status != *filter.status) ||
           (filter.name && v.name != *filter.name) ||
           (filter.charge_type && v.charge_type != *filter.charge_type) ||
           (!filter.public_ips.empty() && !Contains(filter.public_ips, v.public_ip)) ||
           !filter.tagging.Matches(v);
  });
  return PageOf(std::move(all), page);
}

Status Service::ChangePower(store::Tx& tx, const std::string& account,
                            const std::string& region,
                            const std::string& instance_id,
                            Power action) const {
  SWASD_ASSIGN_OR_RETURN(Instance v, GetInstance(tx, account, region, instance_id));
  const int64_t at = NowMs() + options_.instance_transition_ms;
  const std::string& s = v.life.status;
  switch (action) {
    case Power::kStart:
      if (s != "Stopped") return errors::kIncorrectInstanceStatus;
      v.life.Begin("Starting", "Running", at);
      break;
    case Power::kStop:
      if (s != "Running") return errors::kIncorrectInstanceStatus;
      v.life.Begin("Stopping", "Stopped", at);
      break;
    case Power::kReboot:
      if (s != "Running") return errors::kIncorrectInstanceStatus;
      v.life.Begin("Starting", "Running", at);
      break;
  }
  return tx.PutResource(ToResource(v));
}

Status Service::UpdateInstance(store::Tx& tx, const std::string& account,
                               const std::string& region,
                               const std::string& instance_id,
                               const std::optional<std::string>& name) const {
  SWASD_ASSIGN_OR_RETURN(Instance v, GetInstance(tx, account, region, instance_id));
  if (name) v.name = *name;
  return tx.PutResource(ToResource(v));
}

// --- Disks --------------------------------------------------------------------

Result<Listed<Disk>> Service::ListDisks(
    store::Tx& tx, const std::string& account, const std::string& region,
    const std::vector<std::string>& ids,
    const std::optional<std::string>& instance_id,
    const std::optional<std::string>& disk_type, Page page,
    const TagFilter& tagging) const {
  auto q = Query(kDiskKind, account, region);
  q.ids = ids;
  q.parent_id = instance_id;
  SWASD_ASSIGN_OR_RETURN(auto all, LoadAll<Disk>(tx, q, DiskFrom, NowMs()));
  std::erase_if(all, [&](const Disk& d) {
    return (disk_type && d.type != *disk_type) || !tagging.Matches(d);
  });
  return PageOf(std::move(all), page);
}

// --- Snapshots ------------------------------------------------------------------

Result<std::string> Service::CreateSnapshot(store::Tx& tx,
                                            const std::string& account,
                                            const std::string& region,
                                            const std::string& disk_id,
                                            const std::string& name) const {
  SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(kDiskKind, account, disk_id));
  if (!r || r->region_id != region) return errors::kInvalidDiskIdNotFound;
  SWASD_ASSIGN_OR_RETURN(Disk disk, DiskFrom(*r));
  SWASD_ASSIGN_OR_RETURN(Instance inst,
                         GetInstance(tx, account, region, disk.instance_id));
  if (inst.life.status != "Running" && inst.life.status != "Stopped") {
    return errors::kIncorrectInstanceStatus;
  }
  const int64_t now = NowMs();
  auto q = Query(kSnapshotKind, account, region);
  q.parent_id = disk_id;
  SWASD_ASSIGN_OR_RETURN(auto existing, LoadAll<Snapshot>(tx, q, SnapshotFrom, now));
  for (const auto& s : existing) {
    if (s.life.status == "Progressing") {
      return errors::kIncorrectDiskStatusCreatingSnapshot;
    }
  }
  Snapshot s;
  s.id = NewId("s-");
  s.account_id = account;
  s.region_id = region;
  s.name = name;
  s.disk_id = disk.id;
  s.instance_id = disk.instance_id;
  s.source_disk_type = disk.type;
  s.created_ms = now;
  s.life.Begin("Progressing", "Accomplished", now + options_.snapshot_ready_ms);
  SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(s)));
  return s.id;
}

Result<Listed<Snapshot>> Service::ListSnapshots(
    store::Tx& tx, const std::string& account, const std::string& region,
    const std::vector<std::string>& ids,
    const std::optional<std::string>& disk_id,
    const std::optional<std::string>& instance_id,
    const std::optional<std::string>& source_disk_type, Page page,
    const TagFilter& tagging) const {
  auto q = Query(kSnapshotKind, account, region);
  q.ids = ids;
  q.parent_id = disk_id;
  SWASD_ASSIGN_OR_RETURN(auto all,
                         LoadAll<Snapshot>(tx, q, SnapshotFrom, NowMs()));
  std::erase_if(all, [&](const Snapshot& s) {
    return (instance_id && s.instance_id != *instance_id) ||
           (source_disk_type && s.source_disk_type != *source_disk_type) ||
           !tagging.Matches(s);
  });
  return PageOf(std::move(all), page);
}

Status Service::DeleteSnapshot(store::Tx& tx, const std::string& account,
                               const std::string& region,
                               const std::string& snapshot_id) const {
  return DeleteSnapshots(tx, account, region, {snapshot_id});  // swas/disks.cc
}

// --- Custom images ----------------------------------------------------------------

Result<CustomImage> Service::GetImage(store::Tx& tx, const std::string& account,
                                      const std::string& region,
                                      const std::string& id) const {
  SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(kImageKind, account, id));
  if (!r || r->region_id != region) return errors::kInvalidImageIdNotFound;
  SWASD_ASSIGN_OR_RETURN(CustomImage v, ImageFrom(*r));
  v.life.Settle(NowMs());
  return v;
}

Result<std::string> Service::CreateCustomImage(
    store::Tx& tx, const std::string& account, const std::string& region,
    const CreateImageRequest& req) const {
  if (!ValidImageName(req.name)) {
    return gerr::InvalidParam(
        "ImageName",
        "2 to 128 characters, starting with a letter, digit or Chinese "
        "character, and containing only those, ':', '_', '-' and '.'");
  }
  SWASD_ASSIGN_OR_RETURN(Instance inst,
                         GetInstance(tx, account, region, req.instance_id));
  const int64_t now = NowMs();

  // A snapshot of `disk_id` that is finished: the image is built from it.
  auto snapshot_of = [&](const std::string& id, const std::string& disk_id,
                         const char* param) -> Result<Snapshot> {
    SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(kSnapshotKind, account, id));
    if (!r || r->region_id != region) return errors::kInvalidSnapshotIdNotFound;
    SWASD_ASSIGN_OR_RETURN(Snapshot s, SnapshotFrom(*r));
    s.life.Settle(now);
    if (disk_id.empty() || s.disk_id != disk_id) {
      return gerr::InvalidParam(param, "the snapshot is not of this instance's " +
                                           std::string(param[0] == 'S' ? "system" : "data") +
                                           " disk");
    }
    if (s.life.status != "Accomplished") return errors::kIncorrectSnapshotStatus;
    return s;
  };
  SWASD_ASSIGN_OR_RETURN(
      Snapshot sys, snapshot_of(req.system_snapshot_id, inst.system_disk_id,
                                "SystemSnapshotId"));
  std::optional<Snapshot> data;
  if (!req.data_snapshot_id.empty()) {
    SWASD_ASSIGN_OR_RETURN(
        Snapshot d, snapshot_of(req.data_snapshot_id, inst.data_disk_id,
                                "DataSnapshotId"));
    data = std::move(d);
  }

  auto named = Query(kImageKind, account, region);
  named.names = {req.name};
  SWASD_ASSIGN_OR_RETURN(int64_t same_name, tx.CountResources(named));
  if (same_name > 0) return errors::kImageNameAlreadyExist;

  SWASD_ASSIGN_OR_RETURN(int64_t images,
                         tx.CountResources(Query(kImageKind, account, region)));
  SWASD_ASSIGN_OR_RETURN(
      int64_t instances, tx.CountResources(Query(kInstanceKind, account, region)));
  int64_t quota = std::min<int64_t>(instances * options_.images_per_instance,
                                    options_.max_images_per_region);
  if (images >= quota) return errors::kCustomImageQuotaLimit;

  SWASD_ASSIGN_OR_RETURN(auto sys_disk,
                         tx.GetResource(kDiskKind, account, inst.system_disk_id));
  CustomImage img;
  img.id = NewId("m-");
  img.account_id = account;
  img.region_id = region;
  img.name = req.name;
  img.description = req.description;
  img.instance_id = inst.id;
  img.instance_name = inst.name;
  img.system_snapshot_id = sys.id;
  img.system_snapshot_name = sys.name;
  if (data) {
    img.data_snapshot_id = data->id;
    img.data_snapshot_name = data->name;
  }
  img.os_type = inst.os_type;
  img.source_image_name = inst.os_name;
  img.source_image_version = inst.os_version;
  if (sys_disk) {
    auto d = DiskFrom(*sys_disk);
    if (d.ok()) img.required_system_disk_size = d->size;
  }
  if (data) {
    SWASD_ASSIGN_OR_RETURN(auto data_disk, tx.GetResource(kDiskKind, account, inst.data_disk_id));
    if (data_disk) {
      auto d = DiskFrom(*data_disk);
      if (d.ok()) img.required_data_disk_size = d->size;
    }
  }
  img.created_ms = now;
  img.life.Begin(kImageCreating, kImageAvailable, now + options_.image_ready_ms);
  SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(img)));
  return img.id;
}

Result<Listed<CustomImage>> Service::ListCustomImages(
    store::Tx& tx, const std::string& account, const std::string& region,
    const ImageFilter& filter, Page page) const {
  auto q = Query(kImageKind, account, region);
  q.ids = filter.ids;
  q.names = filter.names;
  if (filter.shared) q.flag = *filter.shared ? 1 : 0;
  q.parent_id = filter.instance_id;
  const int64_t now = NowMs();
  // Images shared with the caller come after its own. They match no
  // filter on the owner's private fields (instance, snapshots) and are
  // not shared to the caller's ECS (Share=true).
  auto grants = Query(kImageGrantKind, account, region);
  SWASD_ASSIGN_OR_RETURN(int64_t received_count, tx.CountResources(grants));
  if (received_count > 0) {
    SWASD_ASSIGN_OR_RETURN(auto all, LoadAll<CustomImage>(tx, q, ImageFrom, now));
    if (!filter.instance_id && !filter.system_snapshot_id && !filter.data_snapshot_id &&
        filter.shared.value_or(false) == false) {
      SWASD_ASSIGN_OR_RETURN(auto received, ListReceivedImages(tx, account, region));
      for (auto& r : received) {
        if ((filter.ids.empty() || Contains(filter.ids, r.id)) &&
            (filter.names.empty() || Contains(filter.names, r.name))) {
          all.push_back(std::move(r));
        }
      }
    }
    std::erase_if(all, [&](const CustomImage& i) {
      return (!i.received &&
              ((filter.system_snapshot_id && i.system_snapshot_id != *filter.system_snapshot_id) ||
               (filter.data_snapshot_id && i.data_snapshot_id != *filter.data_snapshot_id))) ||
             !filter.tagging.Matches(i);
    });
    return PageOf(std::move(all), page);
  }
  if (!filter.system_snapshot_id && !filter.data_snapshot_id &&
      filter.tagging.empty()) {
    // Everything filterable is indexed: let the store page and count, so a
    // page costs the same with 1k or 1M images.
    Listed<CustomImage> out;
    SWASD_ASSIGN_OR_RETURN(out.total, tx.CountResources(q));
    q.offset = (page.number - 1) * page.size;
    q.limit = page.size;
    SWASD_ASSIGN_OR_RETURN(out.items, LoadAll<CustomImage>(tx, q, ImageFrom, now));
    return out;
  }
  SWASD_ASSIGN_OR_RETURN(auto all, LoadAll<CustomImage>(tx, q, ImageFrom, now));
  std::erase_if(all, [&](const CustomImage& i) {
    return (filter.system_snapshot_id &&
            i.system_snapshot_id != *filter.system_snapshot_id) ||
           (filter.data_snapshot_id &&
            i.data_snapshot_id != *filter.data_snapshot_id) ||
           !filter.tagging.Matches(i);
  });
  return PageOf(std::move(all), page);
}

Status Service::DeleteCustomImages(store::Tx& tx, const std::string& account,
                                   const std::string& region,
                                   const std::vector<std::string>& ids) const {
  for (const auto& id : ids) {
    SWASD_ASSIGN_OR_RETURN(CustomImage img, GetOwnImage(tx, account, region, id));
    if (img.in_share) return errors::kCustomImageInShare;
    if (!img.share_accounts.empty()) return errors::kCustomImageInShareAccounts;
  }
  for (const auto& id : ids) {
    SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kImageKind, account, id));
    (void)gone;
  }
  return Status::Ok();
}

Result<std::optional<CustomImage>> Service::FindSharedImage(
    store::Tx& tx, const std::string& account, const std::string& region,
    const std::string& id) const {
  auto img = GetImage(tx, account, region, id);
  if (!img.ok()) {
    if (img.error().Is(errors::kInvalidImageIdNotFound)) {
      return std::optional<CustomImage>();
    }
    return std::move(img).error();
  }
  // Shared while still being created: ECS sees it once it is available.
  if (!img->in_share || img->life.status != kImageAvailable) {
    return std::optional<CustomImage>();
  }
  return std::optional<CustomImage>(std::move(img).value());
}

Result<std::vector<CustomImage>> Service::ListSharedImages(
    store::Tx& tx, const std::string& account,
    const std::string& region) const {
  auto q = Query(kImageKind, account, region);
  q.flag = 1;
  SWASD_ASSIGN_OR_RETURN(auto shared, LoadAll<CustomImage>(tx, q, ImageFrom, NowMs()));
  std::erase_if(shared, [](const CustomImage& i) { return i.life.status != kImageAvailable; });
  return shared;
}

Status Service::ModifyImageShareStatus(store::Tx& tx,
                                       const std::string& account,
                                       const std::string& region,
                                       const std::string& image_id,
                                       ShareOperation op) const {
  SWASD_ASSIGN_OR_RETURN(CustomImage img, GetOwnImage(tx, account, region, image_id));
  // An image still being created ("4") may be shared: Terraform's
  // documented example creates an image with status = "Share" and calls
  // this right after CreateCustomImage. ECS sees it once it is available
  // (FindSharedImage).
  bool want = op == ShareOperation::kShare;
  if (img.in_share == want) return Status::Ok();
  img.in_share = want;
  return tx.PutResource(ToResource(img));
}

// --- Sharing to other accounts ------------------------------------------------

Result<CustomImage> Service::GetOwnImage(store::Tx& tx, const std::string& account,
                                         const std::string& region,
                                         const std::string& id) const {
  auto img = GetImage(tx, account, region, id);
  if (img.ok() || !img.error().Is(errors::kInvalidImageIdNotFound)) return img;
  SWASD_ASSIGN_OR_RETURN(auto grant, tx.GetResource(kImageGrantKind, account,
                                                    ImageGrant::IdFor(id, account)));
  if (grant && grant->region_id == region) return errors::kSharedImageNotOwned;
  return img;
}

Result<CustomImage> Service::GetUsableImage(store::Tx& tx, const std::string& account,
                                            const std::string& region,
                                            const std::string& id) const {
  auto own = GetImage(tx, account, region, id);
  if (own.ok() || !own.error().Is(errors::kInvalidImageIdNotFound)) return own;
  SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(kImageGrantKind, account,
                                                ImageGrant::IdFor(id, account)));
  if (!r || r->region_id != region) return own;
  SWASD_ASSIGN_OR_RETURN(auto seen, ReceivedImage(tx, *r));
  if (!seen) return own;
  return std::move(*seen);
}

Result<std::optional<CustomImage>> Service::ReceivedImage(store::Tx& tx,
                                                          const store::Resource& grant_row) const {
  SWASD_ASSIGN_OR_RETURN(ImageGrant grant, GrantFrom(grant_row));
  auto img = GetImage(tx, grant.owner_account_id, grant.region_id, grant.image_id);
  if (!img.ok()) {
    // A grant outliving its image is not an image.
    if (img.error().Is(errors::kInvalidImageIdNotFound)) return std::optional<CustomImage>();
    return std::move(img).error();
  }
  CustomImage v = std::move(img).value();
  // What a recipient sees: the image, not the owner's servers, snapshots,
  // labels or other recipients.
  v.received = true;
  v.in_share = false;
  v.instance_id.clear();
  v.instance_name.clear();
  v.system_snapshot_id.clear();
  v.system_snapshot_name.clear();
  v.data_snapshot_id.clear();
  v.data_snapshot_name.clear();
  v.create_instances.clear();
  v.share_accounts.clear();
  v.tags.clear();
  return std::optional<CustomImage>(std::move(v));
}

Result<std::vector<CustomImage>> Service::ListReceivedImages(
    store::Tx& tx, const std::string& account, const std::string& region) const {
  SWASD_ASSIGN_OR_RETURN(auto grants, tx.ListResources(Query(kImageGrantKind, account, region)));
  std::vector<CustomImage> out;
  for (const auto& g : grants) {
    SWASD_ASSIGN_OR_RETURN(auto seen, ReceivedImage(tx, g));
    if (seen) out.push_back(std::move(*seen));
  }
  return out;
}

Status Service::AddShareAccounts(store::Tx& tx, const std::string& account,
                                 const std::string& region, const std::string& image_id,
                                 const std::vector<std::string>& accounts) const {
  SWASD_ASSIGN_OR_RETURN(CustomImage img, GetOwnImage(tx, account, region, image_id));
  const int64_t now = NowMs();
  bool changed = false;
  for (const std::string& to : accounts) {
    if (to == account) {
      return gerr::InvalidParam("Account", "an image cannot be shared with its owner");
    }
    SWASD_ASSIGN_OR_RETURN(auto known, tx.GetAccount(to));
    if (!known) return errors::kInvalidAccountNotFound;
    bool already = std::any_of(img.share_accounts.begin(), img.share_accounts.end(),
                               [&](const auto& a) { return a.account_id == to; });
    if (already) continue;
    if (img.share_accounts.size() >= 10) return errors::kShareAccountQuotaExceeded;
    img.share_accounts.push_back({to, now});
    ImageGrant g;
    g.id = ImageGrant::IdFor(img.id, to);
    g.account_id = to;
    g.region_id = region;
    g.name = img.name;
    g.image_id = img.id;
    g.owner_account_id = account;
    g.created_ms = now;
    SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(g)));
    changed = true;
  }
  if (!changed) return Status::Ok();
  return tx.PutResource(ToResource(img));
}

Status Service::RemoveShareAccounts(store::Tx& tx, const std::string& account,
                                    const std::string& region,
                                    const std::string& image_id,
                                    const std::vector<std::string>& accounts) const {
  SWASD_ASSIGN_OR_RETURN(CustomImage img, GetOwnImage(tx, account, region, image_id));
  size_t before = img.share_accounts.size();
  std::erase_if(img.share_accounts,
                [&](const auto& a) { return Contains(accounts, a.account_id); });
  if (img.share_accounts.size() == before) return Status::Ok();
  for (const std::string& to : accounts) {
    SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kImageGrantKind, to,
                                                         ImageGrant::IdFor(img.id, to)));
    (void)gone;
  }
  return tx.PutResource(ToResource(img));
}

Result<Listed<CustomImage::ShareAccount>> Service::ListShareAccounts(
    store::Tx& tx, const std::string& account, const std::string& region,
    const std::string& image_id, Page page) const {
  SWASD_ASSIGN_OR_RETURN(CustomImage img, GetOwnImage(tx, account, region, image_id));
  return PageOf(std::move(img.share_accounts), page);
}

// --- The image a server is installed from --------------------------------------------

Result<std::optional<CustomImage>> Service::InstallImage(store::Tx& tx,
                                                         const std::string& account,
                                                         const std::string& region,
                                                         const std::string& image_id,
                                                         Instance* inst) const {
  inst->image_id = image_id;
  if (const CatalogImage* pub = FindPublicImage(image_id)) {
    inst->image_name = pub->name;
    inst->os_type = pub->platform;
    inst->os_name = pub->os_name;
    inst->os_version = pub->os_version;
    inst->image_owner.clear();
    inst->image_has_data = false;
    return std::optional<CustomImage>();
  }
  SWASD_ASSIGN_OR_RETURN(CustomImage img, GetUsableImage(tx, account, region, image_id));
  if (img.life.status != kImageAvailable) return errors::kIncorrectImageStatus;
  inst->image_name = img.name;
  inst->os_type = img.os_type;
  inst->os_name = img.source_image_name;
  inst->os_version = img.source_image_version;
  inst->image_owner = img.received ? img.account_id : "";
  // Set from the data disk when the image was made with one (a received
  // image shows no snapshot ids, but keeps the size).
  inst->image_has_data = img.required_data_disk_size > 0;
  return std::optional<CustomImage>(std::move(img));
}

// --- ResetSystem --------------------------------------------------------------------

namespace {

// Windows or Linux, from a catalog platform or a custom image's OsType.
bool IsWindows(const std::string& os) { return os.starts_with("Windows"); }

bool InChineseMainland(const std::string& region) {
  return region.starts_with("cn-") && region != "cn-hongkong";
}

}  // namespace

Status Service::ResetSystem(store::Tx& tx, const std::string& account,
                            const std::string& region, const std::string& instance_id,
                            const std::optional<std::string>& image_id) const {
  SWASD_ASSIGN_OR_RETURN(Instance inst, GetInstance(tx, account, region, instance_id));
  if (inst.life.status != "Running" && inst.life.status != "Stopped") {
    return errors::kIncorrectInstanceStatus;
  }
  if (inst.image_has_data) return errors::kDataDiskImageNoReset;
  const std::string previous_os = inst.os_type;
  SWASD_ASSIGN_OR_RETURN(std::optional<CustomImage> custom,
                         InstallImage(tx, account, region, image_id.value_or(inst.image_id), &inst));
  if (custom) {
    if (image_id && !custom->received && custom->instance_id == inst.id) {
      return errors::kImageFromThisInstance;
    }
    SWASD_ASSIGN_OR_RETURN(auto sys_disk,
                           tx.GetResource(kDiskKind, account, inst.system_disk_id));
    if (sys_disk) {
      SWASD_ASSIGN_OR_RETURN(Disk d, DiskFrom(*sys_disk));
      if (custom->required_system_disk_size > d.size) return errors::kImageDiskTooLarge;
    }
  }
  if (!InChineseMainland(region) && IsWindows(inst.os_type) != IsWindows(previous_os)) {
    return errors::kOsTypeSwitchNotSupported;
  }
  const int64_t now = NowMs();
  inst.reset_ms = now;
  inst.life.Begin("Resetting", "Running", now + options_.instance_transition_ms);
  return tx.PutResource(ToResource(inst));
}

}  // namespace swasd::swas
