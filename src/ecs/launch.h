// The parameter rules of ECS's launch calls (RunInstances, CreateInstance)
// that need no stored state: names, host names, descriptions, user data,
// tags and data disks, each with the code RunInstances' error table gives.
// Pure functions; service.cc applies them before touching the store.
#ifndef SWASD_ECS_LAUNCH_H_
#define SWASD_ECS_LAUNCH_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "ecs/model.h"

namespace swasd::ecs {

// InstanceName and DataDisk.N.DiskName: 2-128 characters, starting with a
// letter or a Chinese character; then letters, Chinese characters, digits,
// '.', '_', '-', ':'; not starting with http:// or https://.
bool ValidInstanceName(std::string_view name);
// Description: 2-256 characters, not starting with http:// or https://.
bool ValidEcsDescription(std::string_view d);
// HostName after ${instance_id} is replaced. Linux and others: 2-64
// characters of '.'-separated segments of letters, digits and '-'.
// Windows: 2-15 letters, digits and '-', not only digits. Neither starts or
// ends with '.' or '-', nor has two of them in a row.
bool ValidHostName(std::string_view host, bool windows);
// `host` with every ${instance_id} replaced by `instance_id`.
std::string ExpandHostName(std::string_view host, std::string_view instance_id);

// UserData: Base64 of at most 32 KiB (Alibaba's current limit).
Status CheckUserData(std::string_view base64);
// Tag.N: key 1-128 characters, not starting with aliyun or acs:, no
// http:// or https://; value 0-128, not starting with acs:, no link; each
// key once.
Status CheckTags(const std::vector<InstanceTag>& tags);
// DataDisk.N.Category, then its Size for the category, in GiB: cloud 5-2000, cloud_essd_entry
// 10-32768, cloud_auto 1-65536, the other cloud disks 20-32768.
Status CheckDataDiskSize(std::string_view category, int size);

}  // namespace swasd::ecs

#endif  // SWASD_ECS_LAUNCH_H_
