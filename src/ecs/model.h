// ECS resources and the images ECS can see: its own public catalog plus the
// SWAS custom images shared to it (same ImageId, owner alias "others").
#ifndef SWASD_ECS_MODEL_H_
#define SWASD_ECS_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/lifecycle.h"
#include "store/store.h"
#include "swas/model.h"

namespace swasd::ecs {

inline constexpr char kInstanceKind[] = "ecs.instance";
inline constexpr char kDiskKind[] = "ecs.disk";

// An image as DescribeImages reports it.
struct Image {
  std::string id, name, description;
  std::string owner_alias;  // "system" | "others"
  std::string os_type;      // "linux" | "windows"
  std::string os_name, platform;
  int size = 40;  // GiB
  int64_t created_ms = 0;
  bool is_public = false;
  bool from_swas = false;
  // ImageOwnerId: the owning account (16 digits); empty for public images,
  // which ECS reports without one.
  std::string owner_id;
  std::string status = "Available";  // own images: Creating -> Available
  std::string architecture = "x86_64";
  std::string image_family;
  // IsSelfShared: "True"/"False" for the caller's own images (shared with
  // other accounts or not), empty for everyone else's.
  std::string is_self_shared;
  bool is_copied = false;
  bool own = false;       // the caller's own ECS image (OwnImage)
  bool received = false;  // another account's ECS image shared with the caller
};
const std::vector<Image>& PublicImages();

struct InstanceTag {
  std::string key, value;
};

struct Instance {
  std::string id, account_id, region_id, zone_id, name, description;
  std::string instance_type, image_id, os_type, os_name;
  bool image_from_swas = false;
  swas::Lifecycle life;
  // The network: a vSwitch of a VPC (the VPC product's), the private IP
  // given from the vSwitch's block, the security groups (all of that VPC).
  // Without a vSwitch an instance is on the account's implied default
  // network: vpc_id "vpc-default", vswitch_id "vsw-default".
  std::string public_ip, private_ip, vpc_id, vswitch_id;
  std::vector<std::string> security_group_ids;
  std::string key_pair_name, host_name;
  std::string user_data;  // base64, as sent
  std::vector<InstanceTag> tags;
  std::string charge_type = "PostPaid";
  int bandwidth_out = 0;
  std::string system_disk_id;
  int64_t created_ms = 0;
};

struct Disk {
  std::string id, account_id, region_id, zone_id, instance_id, name;
  std::string type = "system";
  std::string category = "cloud_essd";
  int size = 40;
  std::string image_id, device = "/dev/xvda";
  std::string description;
  bool delete_with_instance = true;
  int64_t created_ms = 0;
};

// An ECS custom image of the caller's own (CreateImage from an instance,
// CopyImage), independent of the image its instance was launched from: it
// stays usable after that SWAS image is unshared or deleted.
inline constexpr char kOwnImageKind[] = "ecs.image";
struct OwnImage {
  std::string id, account_id, region_id, name, description;
  std::string os_type, os_name, platform, architecture = "x86_64", image_family;
  int size = 40;  // GiB, the system disk it was made from
  // Where it came from: the instance (CreateImage) or the image (CopyImage).
  std::string source_instance_id, source_image_id;
  bool is_copied = false;
  Lifecycle life;  // Creating -> Available
  struct ShareAccount {
    std::string account_id;
    int64_t shared_ms = 0;
  };
  std::vector<ShareAccount> share_accounts;  // ModifyImageSharePermission
  int64_t created_ms = 0;
};

// The recipient's record of an own image shared with it: id
// "<image id>/<recipient>", account the recipient, parent the image.
inline constexpr char kImageGrantKind[] = "ecs.image_grant";
struct ImageGrant {
  std::string id, account_id, region_id, image_id, owner_account_id;
  int64_t created_ms = 0;
  static std::string IdFor(const std::string& image_id, const std::string& recipient) {
    return image_id + "/" + recipient;
  }
};

store::Resource ToResource(const OwnImage& v);
Result<OwnImage> OwnImageFrom(const store::Resource& r);
store::Resource ToResource(const ImageGrant& v);
Result<ImageGrant> ImageGrantFrom(const store::Resource& r);

// An instance's Resource has its vSwitch as parent_id, so the instances of
// a vSwitch (private IPs in use, DeleteVSwitch's dependency check) are one
// indexed query.
store::Resource ToResource(const Instance& v);
store::Resource ToResource(const Disk& v);
Result<Instance> InstanceFrom(const store::Resource& r);
Result<Disk> DiskFrom(const store::Resource& r);

}  // namespace swasd::ecs

#endif  // SWASD_ECS_MODEL_H_
