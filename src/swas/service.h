// SWAS domain rules: instances, disks, snapshots, custom images and their
// sharing to ECS. Every method runs inside a store transaction supplied by
// the caller (so a ClientToken record commits with the change) and is
// scoped to one account: another account's resource is indistinguishable
// from a missing one. No HTTP, no wire format.
//
// Thread-safety: a Service is immutable after construction; calls are
// serialized by the store's transactions.
#ifndef SWASD_SWAS_SERVICE_H_
#define SWASD_SWAS_SERVICE_H_

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "store/paging.h"
#include "store/store.h"
#include "swas/model.h"
#include "swas/regions.h"

namespace swasd::swas {

struct ServiceOptions {
  // How long the asynchronous steps take. Short by default, so a whole SDK
  // flow finishes in seconds; raise them to exercise polling code.
  int64_t instance_transition_ms = 1000;  // Pending/Starting/Stopping -> ...
  int64_t snapshot_ready_ms = 1000;       // Progressing -> Accomplished
  int64_t image_ready_ms = 1000;          // "4" -> "1"
  // Custom images per region: 3 per instance owned there, at most 15
  // (alibaba-api.md §2.1).
  int images_per_instance = 3;
  int max_images_per_region = 15;
};

using store::Listed;
using store::Page;

struct Plan;  // swas/catalog.h

struct CreateInstancesRequest {
  std::string plan_id, image_id, charge_type = "PrePaid";
  int period = 1;
  int amount = 1;
  bool auto_renew = false;
  int data_disk_size = 0;  // GiB; 0: no data disk
};

// The ResourceGroupId and Tag.N filters of the List* calls (swas/tags.cc).
// A resource matches when it is in the group (if one is given) and has
// every tag: the key, and the value when the request sent one.
struct TagFilter {
  std::optional<std::string> resource_group_id;
  std::vector<std::pair<std::string, std::optional<std::string>>> tags;

  bool empty() const { return !resource_group_id && tags.empty(); }
  bool Matches(const std::string& account, const Tagging& t) const;
  template <typename T>
  bool Matches(const T& v) const {
    return Matches(v.account_id, v);
  }
};

struct InstanceFilter {
  std::vector<std::string> ids, public_ips;
  std::optional<std::string> status, name, charge_type;
  TagFilter tagging;
};

struct CreateImageRequest {
  std::string instance_id, system_snapshot_id, data_snapshot_id, name,
      description;
};

struct ImageFilter {
  std::vector<std::string> ids, names;
  std::optional<bool> shared;
  std::optional<std::string> instance_id, system_snapshot_id, data_snapshot_id;
  TagFilter tagging;
};

// What TagResources and friends act on: SWAS documents instance, disk,
// snapshot, customimage, command and firewallrule; swasd models the first
// four.
enum class TagResourceType { kInstance, kDisk, kSnapshot, kCustomImage };

// One row of ListTagResources: a tag on a resource.
struct TagResourceRow {
  std::string resource_id, resource_type, key, value;
};
struct TagResourcePage {
  std::vector<TagResourceRow> rows;
  std::string next_token;  // empty: the last page
};

enum class ShareOperation { kShare, kUnShare };

class Service {
 public:
  Service(const RegionCatalog* regions, const Clock* clock,
          ServiceOptions options)
      : regions_(regions), clock_(clock), options_(options) {}

  // InvalidRegionId.NotFound unless the region is served.
  Status CheckRegion(std::string_view region_id) const;

  // --- Instances ------------------------------------------------------------
  Result<std::vector<std::string>> CreateInstances(
      store::Tx& tx, const std::string& account, const std::string& region,
      const CreateInstancesRequest& req) const;
  Result<Listed<Instance>> ListInstances(store::Tx& tx,
                                         const std::string& account,
                                         const std::string& region,
                                         const InstanceFilter& filter,
                                         Page page) const;
  enum class Power { kStart, kStop, kReboot };
  Status ChangePower(store::Tx& tx, const std::string& account,
                     const std::string& region, const std::string& instance_id,
                     Power action) const;
  Status UpdateInstance(store::Tx& tx, const std::string& account,
                        const std::string& region,
                        const std::string& instance_id,
                        const std::optional<std::string>& name) const;
  // The instance with its effective status, or InvalidInstanceId.NotFound.
  Result<Instance> GetInstance(store::Tx& tx, const std::string& account,
                               const std::string& region,
                               const std::string& id) const;

  // --- Disks ------------------------------------------------------------------
  Result<Listed<Disk>> ListDisks(store::Tx& tx, const std::string& account,
                                 const std::string& region,
                                 const std::vector<std::string>& ids,
                                 const std::optional<std::string>& instance_id,
                                 const std::optional<std::string>& disk_type,
                                 Page page, const TagFilter& tagging = {}) const;

  // --- Snapshots --------------------------------------------------------------
  Result<std::string> CreateSnapshot(store::Tx& tx, const std::string& account,
                                     const std::string& region,
                                     const std::string& disk_id,
                                     const std::string& name) const;
  Result<Listed<Snapshot>> ListSnapshots(
      store::Tx& tx, const std::string& account, const std::string& region,
      const std::vector<std::string>& ids,
      const std::optional<std::string>& disk_id,
      const std::optional<std::string>& instance_id,
      const std::optional<std::string>& source_disk_type, Page page,
      const TagFilter& tagging = {}) const;
  Status DeleteSnapshot(store::Tx& tx, const std::string& account,
                        const std::string& region,
                        const std::string& snapshot_id) const;

  // --- Custom images ------------------------------------------------------------
  Result<std::string> CreateCustomImage(store::Tx& tx,
                                        const std::string& account,
                                        const std::string& region,
                                        const CreateImageRequest& req) const;
  Result<Listed<CustomImage>> ListCustomImages(store::Tx& tx,
                                               const std::string& account,
                                               const std::string& region,
                                               const ImageFilter& filter,
                                               Page page) const;
  // Deletes all of `ids` or none: any unknown id is InvalidImageId.NotFound,
  // any shared image CustomImageInShare.
  Status DeleteCustomImages(store::Tx& tx, const std::string& account,
                            const std::string& region,
                            const std::vector<std::string>& ids) const;
  // Share/UnShare to ECS in the image's region. Repeating the current state
  // succeeds and changes nothing: the call states the desired state, which
  // is what retrying clients and Terraform's status attribute expect, and
  // Alibaba documents no error for it. An image that is not available yet
  // (still "4") can be neither shared nor unshared: IncorrectImageStatus.
  Status ModifyImageShareStatus(store::Tx& tx, const std::string& account,
                                const std::string& region,
                                const std::string& image_id,
                                ShareOperation op) const;
  // --- What ECS sees (the seed: shared images are usable from ECS in their
  // region; after UnShare they can be neither listed nor used) -------------
  // The caller's custom image `id` if it is shared to ECS in `region`;
  // nullopt otherwise (unknown, unshared, deleted, another region or
  // account: all look the same).
  Result<std::optional<CustomImage>> FindSharedImage(store::Tx& tx,
                                                     const std::string& account,
                                                     const std::string& region,
                                                     const std::string& id) const;
  // Every image the caller shares to ECS in `region`, oldest first.
  Result<std::vector<CustomImage>> ListSharedImages(store::Tx& tx,
                                                    const std::string& account,
                                                    const std::string& region) const;

  // The caller's custom image in `region` with its effective status, or
  // InvalidImageId.NotFound.
  Result<CustomImage> GetImage(store::Tx& tx, const std::string& account,
                               const std::string& region,
                               const std::string& id) const;

  // --- Sharing to other accounts (AddCustomImageShareAccount ...) ---------
  // Rules (Alibaba, "Share custom images across accounts"): same region
  // only; at most 10 accounts per image; only the owner shares, unshares,
  // lists or deletes; a recipient uses the image to create and reset
  // servers and sees it in ListImages and ListCustomImages, but cannot
  // delete, change or share it on; removing an account takes the image
  // away from it at once. An account never shared with learns nothing:
  // to it the image does not exist. Adding an account already there, or
  // removing one that is not, changes nothing and succeeds.
  Status AddShareAccounts(store::Tx& tx, const std::string& account,
                          const std::string& region, const std::string& image_id,
                          const std::vector<std::string>& accounts) const;
  Status RemoveShareAccounts(store::Tx& tx, const std::string& account,
                             const std::string& region,
                             const std::string& image_id,
                             const std::vector<std::string>& accounts) const;
  Result<Listed<CustomImage::ShareAccount>> ListShareAccounts(
      store::Tx& tx, const std::string& account, const std::string& region,
      const std::string& image_id, Page page) const;
  // An image the caller may create or reset servers from: its own, or one
  // another account shares with it (then `received` is set and the owner's
  // private fields are blank). InvalidImageId.NotFound otherwise.
  Result<CustomImage> GetUsableImage(store::Tx& tx, const std::string& account,
                                     const std::string& region,
                                     const std::string& id) const;

  // --- ResetSystem ------------------------------------------------------------
  // Reinstalls the server from `image_id` (a public image, the caller's own
  // custom image or one shared with it) or, when absent, from its current
  // image; the server goes Resetting -> Running. Limits (Alibaba's
  // ResetSystem page): Running or Stopped only; not a server created from
  // a custom image with data-disk data; a custom image must be in the
  // server's region, not made from this server, fit its system disk, and
  // outside the Chinese mainland not switch between Windows and Linux.
  // Snapshots taken before the reset can no longer roll its disks back.
  Status ResetSystem(store::Tx& tx, const std::string& account,
                     const std::string& region, const std::string& instance_id,
                     const std::optional<std::string>& image_id) const;

  // --- Tags and resource groups (swas/tags.cc) ------------------------------
  // Limits: Alibaba's SWAS pages (ListTagResources, TagResources) and, where
  // they are silent, ECS's; the decisions are in docs/coverage.md.
  static constexpr size_t kMaxTagsPerResource = 20;
  static constexpr size_t kMaxTagKeyChars = 64;
  static constexpr size_t kMaxTagValueChars = 64;
  static constexpr size_t kTagRowsPerPage = 50;

  // "instance", "disk", "snapshot", "customimage"; "command" and
  // "firewallrule" (SWAS has them, swasd does not) are
  // InvalidResourceType.NotSupported, anything else
  // InvalidResourceType.NotFound.
  static Result<TagResourceType> ParseTagResourceType(std::string_view type);
  // Keys 1-64 characters, not starting with "aliyun" or "acs:" and without
  // "http://"/"https://" (InvalidTagKey.Malformed); values at most 64
  // characters without "http://"/"https://" (InvalidTagValue.Malformed); a
  // key at most once (Duplicate.TagKey); at most 20.
  static Status ValidateTags(const std::vector<Tag>& tags);
  // Adds or overwrites `tags` on every resource of `ids` (all or none: any
  // unknown id, or one of another account or region, is
  // InvalidResourceId.NotFound); more than 20 on one resource is
  // OperationDenied.QuotaExceed.
  Status TagResources(store::Tx& tx, const std::string& account,
                      const std::string& region, TagResourceType type,
                      const std::vector<std::string>& ids,
                      const std::vector<Tag>& tags) const;
  // Removes the tags with `keys` (absent keys are ignored), or with `all`
  // and no keys every tag, from every resource of `ids` (all or none).
  Status UntagResources(store::Tx& tx, const std::string& account,
                        const std::string& region, TagResourceType type,
                        const std::vector<std::string>& ids,
                        const std::vector<std::string>& keys, bool all) const;
  // One row per tag of each matching resource of `type` (every one when
  // `ids` is empty; unknown ids match nothing), oldest resource first,
  // tags in the order added; 50 rows a page, `next_token` from the last
  // page (InvalidNextToken if it is not one swasd gave).
  Result<TagResourcePage> ListTagResources(store::Tx& tx,
                                           const std::string& account,
                                           const std::string& region,
                                           TagResourceType type,
                                           const std::vector<std::string>& ids,
                                           const TagFilter& filter,
                                           const std::string& next_token) const;
  // Sets the tags and group of a resource just created (the create calls'
  // Tag.N and ResourceGroupId), in the creating transaction.
  Status SetTagging(store::Tx& tx, const std::string& account,
                    const std::string& region, TagResourceType type,
                    const std::string& id, Tagging tagging) const;

  // --- Disks, snapshots and plan changes (swas/disks.cc) ---------------------
  // Deletes all of `ids` or none: an unknown id is InvalidSnapshotId.NotFound,
  // one a custom image was made from SnapshotCreatedImage.
  Status DeleteSnapshots(store::Tx& tx, const std::string& account,
                         const std::string& region,
                         const std::vector<std::string>& ids) const;
  Status UpdateSnapshotRemark(store::Tx& tx, const std::string& account,
                              const std::string& region,
                              const std::string& snapshot_id,
                              const std::string& remark) const;
  Status UpdateDiskRemark(store::Tx& tx, const std::string& account,
                          const std::string& region, const std::string& disk_id,
                          const std::string& remark) const;
  // Rolls `disk_id` back to its Accomplished snapshot `snapshot_id`; the
  // server must be Stopped (IncorrectInstanceStatus.ResetDisk) and shows
  // Resetting, then Stopped again. The snapshot's RollbackTime is now.
  Status ResetDisk(store::Tx& tx, const std::string& account,
                   const std::string& region, const std::string& disk_id,
                   const std::string& snapshot_id) const;
  // A bigger plan (no dimension smaller, one bigger) for a Running or
  // Stopped server: Upgrading, then Running; the system disk grows to the
  // plan's size.
  Status UpgradeInstance(store::Tx& tx, const std::string& account,
                         const std::string& region,
                         const std::string& instance_id,
                         const std::string& plan_id) const;
  // Moves ExpiredTime `months` months (30 days each, as CreateInstances
  // counts them) further.
  Status RenewInstance(store::Tx& tx, const std::string& account,
                       const std::string& region,
                       const std::string& instance_id, int months) const;
  // UpdateInstanceAttribute's Password: checked against the documented
  // rules and the server's state, then forgotten (swasd runs no server
  // whose password could change, so nothing is stored, not even a hash).
  // --- Firewall rules (swas/firewall.cc) ------------------------------------
  // A server starts with TCP 22, 80 and 443 open, as on Alibaba.
  Result<Listed<FirewallRule>> ListFirewallRules(
      store::Tx& tx, const std::string& account, const std::string& region,
      const std::string& instance_id, const std::optional<std::string>& rule_id,
      Page page) const;
  // The new rule's id. `protocol` as Alibaba and Terraform send it (TCP,
  // UDP, TCP+UDP; Tcp, Udp, TcpAndUdp), any case.
  Result<std::string> CreateFirewallRule(store::Tx& tx, const std::string& account,
                                         const std::string& region,
                                         const std::string& instance_id,
                                         const std::string& port,
                                         const std::string& protocol,
                                         const std::string& remark) const;
  Status DeleteFirewallRule(store::Tx& tx, const std::string& account,
                            const std::string& region,
                            const std::string& instance_id,
                            const std::string& rule_id) const;

  Status CheckNewPassword(store::Tx& tx, const std::string& account,
                          const std::string& region,
                          const std::string& instance_id,
                          const std::string& password) const;

 private:
  int64_t NowMs() const { return clock_->NowUnixMillis(); }
  // GetImage, but a caller that only received the image gets
  // Forbidden.SharedImage instead of NotFound.
  Result<CustomImage> GetOwnImage(store::Tx& tx, const std::string& account,
                                  const std::string& region,
                                  const std::string& id) const;
  // The image a grant (kImageGrantKind) names, as its recipient sees it
  // (GetUsableImage); nullopt when the owner deleted it.
  Result<std::optional<CustomImage>> ReceivedImage(store::Tx& tx,
                                                   const store::Resource& grant_row) const;
  // Sets `inst`'s image fields (id, name, OS, owner, data-disk flag) from a
  // public image or an available custom image the caller may use; returns
  // that custom image, nullopt for a public one. CreateInstances and
  // ResetSystem install images this one way.
  Result<std::optional<CustomImage>> InstallImage(store::Tx& tx, const std::string& account,
                                                  const std::string& region,
                                                  const std::string& image_id,
                                                  Instance* inst) const;
  // The images shared with the caller in `region`, as GetUsableImage
  // describes them, in the order they were shared.
  Result<std::vector<CustomImage>> ListReceivedImages(store::Tx& tx,
                                                      const std::string& account,
                                                      const std::string& region) const;

  const RegionCatalog* regions_;
  const Clock* clock_;
  ServiceOptions options_;
};

// The account's default resource group, "rg-acfm" and 15 characters derived
// from the account id: stable, needs no storage, and shaped like the id
// Alibaba gives an account's default group. swasd has no Resource Manager,
// so any other ResourceGroupId is taken as given.
std::string DefaultResourceGroupId(const std::string& account);
// The group a resource is in: its own, or the account's default one.
std::string ResourceGroupOf(const std::string& account, const Tagging& t);

// "2024-01-01T00:00:00Z" for a unix-milliseconds time.
std::string FormatMs(int64_t ms);
// ImageName rule (2-128 chars, starting with a letter, digit or CJK
// character; then letters, digits, CJK, ':', '_', '-', '.').
bool ValidImageName(std::string_view name);
// Password rule of UpdateInstanceAttribute: 8-30 characters of letters,
// digits and ()`~!@#$%^&*-_+=|{}[]:;'<>,.?/, at least three of the four
// kinds; on Windows not starting with '/'.
bool ValidInstancePassword(std::string_view password, bool windows);
// Whether `to` is an upgrade of `from`: no dimension smaller, one bigger.
bool IsPlanUpgrade(const Plan& from, const Plan& to);

}  // namespace swasd::swas

#endif  // SWASD_SWAS_SERVICE_H_
