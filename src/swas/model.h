// SWAS resources as the domain sees them, and their encoding as store
// Resources. Asynchronous work (an instance booting, a snapshot or image
// being made) is a Lifecycle: the current status, the status it moves to,
// and when. The effective status is computed from the clock, so a
// transition survives a restart (and is the same on every node sharing a
// PostgreSQL store) without any background job; writers settle it when
// they touch a record.
#ifndef SWASD_SWAS_MODEL_H_
#define SWASD_SWAS_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/lifecycle.h"
#include "store/store.h"

namespace swasd::swas {

inline constexpr char kInstanceKind[] = "swas.instance";
inline constexpr char kDiskKind[] = "swas.disk";
inline constexpr char kSnapshotKind[] = "swas.snapshot";
inline constexpr char kImageKind[] = "swas.image";
// An image shared to another account (AddCustomImageShareAccount): stored
// under the recipient, so the recipient's lists and lookups stay scoped to
// its own account; the owner's side is CustomImage::share_accounts.
inline constexpr char kImageGrantKind[] = "swas.image_grant";

using Lifecycle = ::swasd::Lifecycle;  // base/lifecycle.h

// A tag on a SWAS resource (TagResources, Tag.N on the create calls), in
// the order it was first added; keys are unique per resource.
struct Tag {
  std::string key, value;
  bool operator==(const Tag&) const = default;
};

// Tags and the resource group, shared by the four taggable resources. An
// empty group is the account's default group (swas/tags.cc); a document
// written before tags existed decodes as no tags, default group.
struct Tagging {
  std::vector<Tag> tags;
  std::string resource_group_id;
};

struct Instance : Tagging {
  std::string id, account_id, region_id, name;
  std::string plan_id, image_id;  // image: public or custom
  std::string image_name, os_type, os_name, os_version;
  std::string charge_type = "PrePaid";
  int period = 1;
  bool auto_renew = false;
  Lifecycle life;
  std::string public_ip, inner_ip;
  std::string system_disk_id, data_disk_id;
  // The account that owns image_id when it is a custom image shared to
  // this instance's account; empty otherwise.
  std::string image_owner;
  // Created from a custom image with data-disk data: ResetSystem refuses.
  bool image_has_data = false;
  int64_t created_ms = 0;
  int64_t expires_ms = 0;
  int64_t reset_ms = 0;  // the last ResetSystem; 0: never reset
};

struct Disk : Tagging {
  std::string id, account_id, region_id, instance_id, name;
  std::string type;  // "System" | "Data"
  int size = 0;
  std::string device;
  std::string remark;  // UpdateDiskAttribute
  int64_t created_ms = 0;
};

struct Snapshot : Tagging {
  std::string id, account_id, region_id, name;
  std::string disk_id, instance_id, source_disk_type;
  Lifecycle life;  // Progressing -> Accomplished
  std::string remark;       // UpdateSnapshotAttribute
  int64_t rollback_ms = 0;  // last ResetDisk from it; 0: never
  int64_t created_ms = 0;
};

// Status codes as ListCustomImages reports them (alibaba-api.md §2.2).
inline constexpr char kImageAvailable[] = "1";
inline constexpr char kImageCreating[] = "4";

struct CustomImage : Tagging {
  std::string id, account_id, region_id, name, description;
  std::string instance_id, instance_name;
  std::string system_snapshot_id, system_snapshot_name;
  std::string data_snapshot_id, data_snapshot_name;
  std::string os_type, source_image_name, source_image_version;
  int required_system_disk_size = 0;
  int required_data_disk_size = 0;
  Lifecycle life;  // "4" -> "1"
  bool in_share = false;  // shared to ECS (ModifyImageShareStatus)
  // Accounts the image is shared with (AddCustomImageShareAccount), in the
  // order they were added.
  struct ShareAccount {
    std::string account_id;
    int64_t shared_ms = 0;
  };
  std::vector<ShareAccount> share_accounts;
  // Not stored: set on the copy a recipient sees of an image another
  // account shares with it (Service::GetUsableImage).
  bool received = false;
  std::vector<std::string> create_instances;
  int64_t created_ms = 0;
};

// The recipient's record of an image shared with it. id is
// "<image id>/<recipient>", parent_id the image id.
struct ImageGrant {
  std::string id, account_id, region_id, name;  // account: the recipient
  std::string image_id, owner_account_id;
  int64_t created_ms = 0;  // when it was shared
  static std::string IdFor(const std::string& image_id, const std::string& recipient) {
    return image_id + "/" + recipient;
  }
};

// A server's firewall rules are one document (kind swas.firewall, id = the
// server's id); swas/firewall.cc.
inline constexpr char kFirewallKind[] = "swas.firewall";
struct FirewallRule {
  std::string id;        // RuleId, 32 hex digits
  std::string port;      // "3306" or "1024/1055", as sent
  std::string protocol;  // TCP | UDP | TCP+UDP
  std::string remark;
};

store::Resource ToResource(const Instance& v);
store::Resource ToResource(const ImageGrant& v);
Result<ImageGrant> GrantFrom(const store::Resource& r);
store::Resource ToResource(const Disk& v);
store::Resource ToResource(const Snapshot& v);
store::Resource ToResource(const CustomImage& v);
// Fail with InternalError when the stored document is corrupt.
Result<Instance> InstanceFrom(const store::Resource& r);
Result<Disk> DiskFrom(const store::Resource& r);
Result<Snapshot> SnapshotFrom(const store::Resource& r);
Result<CustomImage> ImageFrom(const store::Resource& r);
store::Resource FirewallResource(const Instance& server,
                                 const std::vector<FirewallRule>& rules);
Result<std::vector<FirewallRule>> FirewallRulesFrom(const store::Resource& r);

}  // namespace swasd::swas

#endif  // SWASD_SWAS_MODEL_H_
