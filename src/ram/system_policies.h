// Alibaba's system policies (PolicyType "System") that swasd serves: their
// names, descriptions and documents. Names are case-sensitive, as on
// Alibaba. The set covers the products swasd emulates (SWAS, ECS, RAM, STS)
// plus AdministratorAccess.
//
// Everything here is immutable static data; all functions are thread-safe.
#ifndef SWASD_RAM_SYSTEM_POLICIES_H_
#define SWASD_RAM_SYSTEM_POLICIES_H_

#include <span>
#include <string_view>

#include "ram/policy.h"

namespace swasd::ram {

struct SystemPolicy {
  std::string_view name;         // "AliyunSWASFullAccess"
  std::string_view description;  // English, as GetPolicy's Description
  std::string_view document;     // the JSON text GetPolicy returns
};

// Every system policy, in a fixed order (AdministratorAccess first, then by
// product). The span refers to static storage.
std::span<const SystemPolicy> SystemPolicies();

// The system policy named exactly `name`, or nullptr. The pointer refers to
// static storage.
const SystemPolicy* FindSystemPolicy(std::string_view name);

// `policy`'s document, parsed once (on first use, thread-safely) and kept
// for the life of the process. REQUIRES: `policy` is an element of
// SystemPolicies().
const Policy& ParsedSystemPolicy(const SystemPolicy& policy);

}  // namespace swasd::ram

#endif  // SWASD_RAM_SYSTEM_POLICIES_H_
