// The images ECS can see and use: its public catalog, the caller's SWAS
// custom images shared to ECS in the region, the caller's own ECS custom
// images (CreateImage, CopyImage) and those other accounts share with it
// (ModifyImageSharePermission).
#include <algorithm>
#include <set>

#include "base/ids.h"
#include "ecs/errors.h"
#include "ecs/service.h"
#include "store/document.h"

namespace swasd::ecs {
namespace {

using store::PageOf;

constexpr char kCreating[] = "Creating";
constexpr char kAvailable[] = "Available";
// Accounts an image can be shared with in all (ModifyImageSharePermission).
constexpr size_t kMaxShareAccounts = 50;

Image FromSwas(const swas::CustomImage& i) {
  Image out;
  out.id = i.id;
  out.name = i.name;
  out.description = i.description;
  out.owner_alias = "others";
  out.os_type = i.os_type == "Windows" ? "windows" : "linux";
  out.os_name = i.source_image_name + " " + i.source_image_version;
  out.platform = i.source_image_name;
  out.size = i.required_system_disk_size > 0 ? i.required_system_disk_size : 40;
  out.created_ms = i.created_ms;
  out.is_public = false;
  out.from_swas = true;
  out.owner_id = i.account_id;
  return out;
}

// An own image as DescribeImages shows it: to its owner ("self") or to an
// account it is shared with ("others").
Image FromOwn(const OwnImage& i, bool received) {
  Image out;
  out.id = i.id;
  out.name = i.name;
  out.description = i.description;
  out.owner_alias = received ? "others" : "self";
  out.os_type = i.os_type;
  out.os_name = i.os_name;
  out.platform = i.platform;
  out.size = i.size;
  out.created_ms = i.created_ms;
  out.owner_id = i.account_id;
  out.status = i.life.status;
  out.architecture = i.architecture;
  out.image_family = i.image_family;
  out.is_self_shared = received ? "" : (i.share_accounts.empty() ? "False" : "True");
  out.is_copied = i.is_copied;
  out.own = !received;
  out.received = received;
  return out;
}

// True when `v` is empty (no filter) or holds `s`.
bool In(const std::vector<std::string>& v, const std::string& s) {
  return v.empty() || std::find(v.begin(), v.end(), s) != v.end();
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// UTF-8 characters in `s` (continuation bytes not counted).
size_t Chars(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// ECS image names: 2-128 characters, starting with a letter (or a Chinese
// character: any non-ASCII one here); letters, digits, non-ASCII, '.', ':',
// '_' and '-'; not starting with http://, https://, acs: or aliyun.
Status CheckImageName(const std::string& name) {
  const size_t n = Chars(name);
  if (n < 2 || n > 128) return errors::kInvalidImageNameMalformed;
  const auto first = static_cast<unsigned char>(name[0]);
  if (!IsAsciiLetter(name[0]) && first < 0x80) return errors::kInvalidImageNameMalformed;
  for (const char* p : {"http://", "https://", "acs:", "aliyun"}) {
    if (StartsWith(name, p)) return errors::kInvalidImageNameMalformed;
  }
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    bool ok = u >= 0x80 || IsAsciiLetter(c) || (c >= '0' && c <= '9') || c == '.' ||
              c == ':' || c == '_' || c == '-';
    if (!ok) return errors::kInvalidImageNameMalformed;
  }
  return Status::Ok();
}

// Descriptions: 2-256 characters, not starting with http:// or https://.
Status CheckDescription(const std::string& d) {
  const size_t n = Chars(d);
  if (n < 2 || n > 256 || StartsWith(d, "http://") || StartsWith(d, "https://")) {
    return errors::kInvalidDescriptionMalformed;
  }
  return Status::Ok();
}

Status CheckAttributes(const ImageAttributes& a) {
  if (a.name) SWASD_RETURN_IF_ERROR(CheckImageName(*a.name));
  if (a.description) SWASD_RETURN_IF_ERROR(CheckDescription(*a.description));
  return Status::Ok();
}

// The caller's own images in `region`, settled at `now`.
Result<std::vector<OwnImage>> OwnImages(store::Tx& tx, const std::string& account,
                                        const std::string& region, int64_t now) {
  SWASD_ASSIGN_OR_RETURN(auto rows,
                         tx.ListResources(store::QueryOf(kOwnImageKind, account, region)));
  std::vector<OwnImage> out;
  for (const auto& r : rows) {
    SWASD_ASSIGN_OR_RETURN(OwnImage v, OwnImageFrom(r));
    v.life.Settle(now);
    out.push_back(std::move(v));
  }
  return out;
}

// The caller's own image `id` in `region`, settled; nullopt when there is
// none.
Result<std::optional<OwnImage>> FindOwn(store::Tx& tx, const std::string& account,
                                        const std::string& region, const std::string& id,
                                        int64_t now) {
  SWASD_ASSIGN_OR_RETURN(auto r, tx.GetResource(kOwnImageKind, account, id));
  if (!r || r->region_id != region) return std::optional<OwnImage>();
  SWASD_ASSIGN_OR_RETURN(OwnImage v, OwnImageFrom(*r));
  v.life.Settle(now);
  return std::optional<OwnImage>(std::move(v));
}

// The owner's image a grant names, nullopt when the owner deleted it.
Result<std::optional<OwnImage>> Granted(store::Tx& tx, const ImageGrant& g, int64_t now) {
  return FindOwn(tx, g.owner_account_id, g.region_id, g.image_id, now);
}

// Images shared with the caller in `region` by other accounts' ECS.
Result<std::vector<OwnImage>> ReceivedImages(store::Tx& tx, const std::string& account,
                                             const std::string& region, int64_t now) {
  SWASD_ASSIGN_OR_RETURN(auto rows,
                         tx.ListResources(store::QueryOf(kImageGrantKind, account, region)));
  std::vector<OwnImage> out;
  for (const auto& r : rows) {
    SWASD_ASSIGN_OR_RETURN(ImageGrant g, ImageGrantFrom(r));
    SWASD_ASSIGN_OR_RETURN(auto img, Granted(tx, g, now));
    if (img) out.push_back(std::move(*img));
  }
  return out;
}

// The ids of the images the caller's instances in `region` run from.
Result<std::set<std::string>> ImagesInUse(store::Tx& tx, const std::string& account,
                                          const std::string& region) {
  SWASD_ASSIGN_OR_RETURN(auto rows,
                         tx.ListResources(store::QueryOf(kInstanceKind, account, region)));
  std::set<std::string> out;
  for (const auto& r : rows) {
    SWASD_ASSIGN_OR_RETURN(Instance v, InstanceFrom(r));
    out.insert(v.image_id);
  }
  return out;
}

// An own image named `name` other than `except` in `region`.
Result<bool> NameTaken(store::Tx& tx, const std::string& account, const std::string& region,
                       const std::string& name, const std::string& except) {
  store::ResourceQuery q = store::QueryOf(kOwnImageKind, account, region);
  q.names = {name};
  SWASD_ASSIGN_OR_RETURN(auto rows, tx.ListResources(q));
  return std::any_of(rows.begin(), rows.end(), [&](const auto& r) { return r.id != except; });
}

std::string NewImageId() { return "m-" + ids::RandomAlnumLower(20, "ecs/m-"); }

}  // namespace

Result<std::vector<Image>> Service::VisibleImages(
    store::Tx& tx, const std::string& account, const std::string& region) const {
  const int64_t now = NowMs();
  std::vector<Image> out = PublicImages();
  SWASD_ASSIGN_OR_RETURN(auto shared, swas_->ListSharedImages(tx, account, region));
  for (const auto& i : shared) out.push_back(FromSwas(i));
  SWASD_ASSIGN_OR_RETURN(auto own, OwnImages(tx, account, region, now));
  for (const auto& i : own) out.push_back(FromOwn(i, false));
  SWASD_ASSIGN_OR_RETURN(auto received, ReceivedImages(tx, account, region, now));
  for (const auto& i : received) {
    if (i.life.status == kAvailable) out.push_back(FromOwn(i, true));
  }
  return out;
}

Result<store::Listed<Image>> Service::DescribeImages(
    store::Tx& tx, const std::string& account, const std::string& region,
    const ImageFilter& filter, store::Page page) const {
  SWASD_ASSIGN_OR_RETURN(auto all, VisibleImages(tx, account, region));
  std::set<std::string> in_use;
  if (filter.usage) {
    SWASD_ASSIGN_OR_RETURN(in_use, ImagesInUse(tx, account, region));
  }
  // ECS lists Available images unless Status says otherwise.
  const std::vector<std::string> statuses =
      filter.statuses.empty() ? std::vector<std::string>{kAvailable} : filter.statuses;
  std::vector<Image> match;
  for (auto& i : all) {
    if (!In(filter.ids, i.id) || !In(statuses, i.status)) continue;
    if (filter.owner_alias && *filter.owner_alias != i.owner_alias) continue;
    if (filter.name && *filter.name != i.name) continue;
    if (filter.os_type && *filter.os_type != i.os_type) continue;
    if (filter.owner_id && *filter.owner_id != i.owner_id) continue;
    if (filter.architecture && *filter.architecture != i.architecture) continue;
    if (filter.image_family && *filter.image_family != i.image_family) continue;
    if (filter.is_public && *filter.is_public != i.is_public) continue;
    if (filter.usage && (*filter.usage == "instance") != in_use.contains(i.id)) continue;
    if (filter.created_from_ms && i.created_ms < *filter.created_from_ms) continue;
    if (filter.created_to_ms && i.created_ms > *filter.created_to_ms) continue;
    match.push_back(std::move(i));
  }
  return PageOf(std::move(match), page);
}

Result<std::optional<Image>> Service::ResolveImage(
    store::Tx& tx, const std::string& account, const std::string& region,
    const std::string& image_id) const {
  for (const auto& i : PublicImages()) {
    if (i.id == image_id) return std::optional<Image>(i);
  }
  SWASD_ASSIGN_OR_RETURN(auto shared,
                         swas_->FindSharedImage(tx, account, region, image_id));
  if (shared) return std::optional<Image>(FromSwas(*shared));
  const int64_t now = NowMs();
  SWASD_ASSIGN_OR_RETURN(auto own, FindOwn(tx, account, region, image_id, now));
  if (own) {
    if (own->life.status != kAvailable) return std::optional<Image>();
    return std::optional<Image>(FromOwn(*own, false));
  }
  SWASD_ASSIGN_OR_RETURN(auto grant, tx.GetResource(kImageGrantKind, account,
                                                    ImageGrant::IdFor(image_id, account)));
  if (!grant || grant->region_id != region) return std::optional<Image>();
  SWASD_ASSIGN_OR_RETURN(ImageGrant g, ImageGrantFrom(*grant));
  SWASD_ASSIGN_OR_RETURN(auto theirs, Granted(tx, g, now));
  if (!theirs || theirs->life.status != kAvailable) return std::optional<Image>();
  return std::optional<Image>(FromOwn(*theirs, true));
}

// --- The caller's own images ---------------------------------------------------------

namespace {

// The caller's own image `id` in `region`: kImageNotOwned when ECS shows the
// caller that image but it is not its own ECS image, NotFound otherwise.
Result<OwnImage> GetOwn(const Service& svc, store::Tx& tx, const std::string& account,
                        const std::string& region, const std::string& id, int64_t now) {
  SWASD_ASSIGN_OR_RETURN(auto own, FindOwn(tx, account, region, id, now));
  if (own) return std::move(*own);
  SWASD_ASSIGN_OR_RETURN(auto seen, svc.ResolveImage(tx, account, region, id));
  if (seen) return errors::kImageNotOwned;
  return errors::kInvalidImageIdNotFound;
}

}  // namespace

Result<std::string> Service::CreateImage(store::Tx& tx, const std::string& account,
                                         const std::string& region,
                                         const std::string& instance_id,
                                         const ImageAttributes& attrs) const {
  SWASD_RETURN_IF_ERROR(CheckAttributes(attrs));
  SWASD_ASSIGN_OR_RETURN(Instance inst, GetInstance(tx, account, instance_id));
  if (inst.region_id != region) return errors::kInvalidInstanceIdNotFound;
  if (inst.life.status != "Running" && inst.life.status != "Stopped") {
    return errors::kCreateImageIncorrectInstanceStatus;
  }
  if (attrs.name) {
    SWASD_ASSIGN_OR_RETURN(bool taken, NameTaken(tx, account, region, *attrs.name, ""));
    if (taken) return errors::kInvalidImageNameDuplicated;
  }
  const int64_t now = NowMs();
  OwnImage img;
  img.id = NewImageId();
  img.account_id = account;
  img.region_id = region;
  img.name = attrs.name.value_or("");
  img.description = attrs.description.value_or("");
  img.image_family = attrs.image_family.value_or("");
  img.os_type = inst.os_type;
  img.os_name = inst.os_name;
  // The instance's image, if ECS still knows it, names the platform and
  // architecture; the instance's record is enough otherwise (its SWAS
  // image may have been unshared since the launch).
  SWASD_ASSIGN_OR_RETURN(auto source, ResolveImage(tx, account, region, inst.image_id));
  if (source) {
    img.platform = source->platform;
    img.architecture = source->architecture;
  } else {
    img.platform = inst.os_name.substr(0, inst.os_name.find(' '));
  }
  img.size = 40;
  SWASD_ASSIGN_OR_RETURN(auto disk, tx.GetResource(kDiskKind, account, inst.system_disk_id));
  if (disk) {
    SWASD_ASSIGN_OR_RETURN(Disk d, DiskFrom(*disk));
    img.size = d.size;
  } else if (source) {
    img.size = source->size;
  }
  img.source_instance_id = inst.id;
  img.source_image_id = inst.image_id;
  img.life.Begin(kCreating, kAvailable, now + options_.instance_transition_ms);
  img.created_ms = now;
  SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(img)));
  return img.id;
}

Result<std::string> Service::CopyImage(store::Tx& tx, const std::string& account,
                                       const std::string& region, const std::string& image_id,
                                       const std::string& dest_region,
                                       const ImageAttributes& attrs) const {
  if (regions_->Find(dest_region) == nullptr) return errors::kDestinationRegionNotFound;
  SWASD_RETURN_IF_ERROR(CheckAttributes(attrs));
  const int64_t now = NowMs();
  OwnImage copy;
  SWASD_ASSIGN_OR_RETURN(auto own, FindOwn(tx, account, region, image_id, now));
  if (own) {
    if (own->life.status != kAvailable) return errors::kIncorrectImageStatus;
    copy = *own;
    copy.share_accounts.clear();
  } else {
    // An image shared with the caller (from SWAS or another account) can be
    // copied, within its region only; public images cannot.
    SWASD_ASSIGN_OR_RETURN(auto seen, ResolveImage(tx, account, region, image_id));
    if (!seen || seen->is_public) return errors::kInvalidImageIdNotFound;
    if (dest_region != region) return errors::kOperationDeniedSameRegionOnly;
    copy.os_type = seen->os_type;
    copy.os_name = seen->os_name;
    copy.platform = seen->platform;
    copy.architecture = seen->architecture;
    copy.size = seen->size;
    copy.image_family = seen->image_family;
  }
  if (attrs.name) {
    SWASD_ASSIGN_OR_RETURN(bool taken, NameTaken(tx, account, dest_region, *attrs.name, ""));
    if (taken) return errors::kInvalidImageNameDuplicated;
  }
  copy.id = NewImageId();
  copy.account_id = account;
  copy.region_id = dest_region;
  copy.name = attrs.name.value_or("");
  copy.description = attrs.description.value_or("");
  copy.source_instance_id.clear();
  copy.source_image_id = image_id;
  copy.is_copied = true;
  copy.life.Begin(kCreating, kAvailable, now + options_.instance_transition_ms);
  copy.created_ms = now;
  SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(copy)));
  return copy.id;
}

Status Service::DeleteImage(store::Tx& tx, const std::string& account,
                            const std::string& region, const std::string& image_id,
                            bool force) const {
  SWASD_ASSIGN_OR_RETURN(OwnImage img, GetOwn(*this, tx, account, region, image_id, NowMs()));
  if (img.life.status == kCreating) return errors::kImageIsCreating;
  if (!force) {
    SWASD_ASSIGN_OR_RETURN(auto in_use, ImagesInUse(tx, account, region));
    if (in_use.contains(img.id)) return errors::kImageUsingByInstance;
    if (!img.share_accounts.empty()) return errors::kImageUseShared;
  }
  for (const auto& a : img.share_accounts) {
    SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kImageGrantKind, a.account_id,
                                                         ImageGrant::IdFor(img.id, a.account_id)));
    (void)gone;
  }
  SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kOwnImageKind, account, img.id));
  (void)gone;
  return Status::Ok();
}

Status Service::ModifyImageAttribute(store::Tx& tx, const std::string& account,
                                     const std::string& region, const std::string& image_id,
                                     const ImageAttributes& attrs) const {
  SWASD_RETURN_IF_ERROR(CheckAttributes(attrs));
  SWASD_ASSIGN_OR_RETURN(OwnImage img, GetOwn(*this, tx, account, region, image_id, NowMs()));
  if (attrs.name && *attrs.name != img.name) {
    SWASD_ASSIGN_OR_RETURN(bool taken, NameTaken(tx, account, region, *attrs.name, img.id));
    if (taken) return errors::kInvalidImageNameDuplicated;
    img.name = *attrs.name;
  }
  if (attrs.description) img.description = *attrs.description;
  if (attrs.image_family) img.image_family = *attrs.image_family;
  return tx.PutResource(ToResource(img));
}

Status Service::ModifyImageSharePermission(store::Tx& tx, const std::string& account,
                                           const std::string& region,
                                           const std::string& image_id,
                                           const std::vector<std::string>& add,
                                           const std::vector<std::string>& remove) const {
  const int64_t now = NowMs();
  SWASD_ASSIGN_OR_RETURN(OwnImage img, GetOwn(*this, tx, account, region, image_id, now));
  if (img.life.status != kAvailable) return errors::kIncorrectImageStatus;
  for (const std::string& to : remove) {
    if (std::erase_if(img.share_accounts, [&](const auto& a) { return a.account_id == to; })) {
      SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kImageGrantKind, to,
                                                           ImageGrant::IdFor(img.id, to)));
      (void)gone;
    }
  }
  for (const std::string& to : add) {
    if (to == account) return errors::kInvalidAccountForbidden;
    SWASD_ASSIGN_OR_RETURN(auto known, tx.GetAccount(to));
    if (!known) return errors::kInvalidAccountNotFound;
    bool already = std::any_of(img.share_accounts.begin(), img.share_accounts.end(),
                               [&](const auto& a) { return a.account_id == to; });
    if (already) continue;
    if (img.share_accounts.size() >= kMaxShareAccounts) {
      return errors::kQuotaExceedShareImageUser;
    }
    img.share_accounts.push_back({to, now});
    ImageGrant g;
    g.id = ImageGrant::IdFor(img.id, to);
    g.account_id = to;
    g.region_id = region;
    g.image_id = img.id;
    g.owner_account_id = account;
    g.created_ms = now;
    SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(g)));
  }
  return tx.PutResource(ToResource(img));
}

Result<store::Listed<OwnImage::ShareAccount>> Service::DescribeImageSharePermission(
    store::Tx& tx, const std::string& account, const std::string& region,
    const std::string& image_id, store::Page page) const {
  SWASD_ASSIGN_OR_RETURN(OwnImage img, GetOwn(*this, tx, account, region, image_id, NowMs()));
  return PageOf(std::move(img.share_accounts), page);
}

}  // namespace swasd::ecs
