#include "ram/system_policies.h"

#include <array>
#include <cstdlib>
#include <vector>

namespace swasd::ram {
namespace {

// Documents are laid out the way Alibaba's GetPolicy returns system
// policies (indented JSON).
constexpr std::array<SystemPolicy, 8> kSystemPolicies = {{
    {"AdministratorAccess",
     "Provides full access to Alibaba Cloud services and resources.",
     R"({
    "Version": "1",
    "Statement": [
        {
            "Action": "*",
            "Effect": "Allow",
            "Resource": "*"
        }
    ]
})"},
    {"AliyunSWASFullAccess",
     "Provides full access to Simple Application Server (SWAS).",
     R"({
    "Version": "1",
    "Statement": [
        {
            "Action": "swas-open:*",
            "Effect": "Allow",
            "Resource": "*"
        }
    ]
})"},
    {"AliyunSWASReadOnlyAccess",
     "Provides read-only access to Simple Application Server (SWAS).",
     R"({
    "Version": "1",
    "Statement": [
        {
            "Action": [
                "swas-open:List*",
                "swas-open:Describe*"
            ],
            "Effect": "Allow",
            "Resource": "*"
        }
    ]
})"},
    {"AliyunECSFullAccess",
     "Provides full access to Elastic Compute Service (ECS).",
     R"({
    "Version": "1",
    "Statement": [
        {
            "Action": "ecs:*",
            "Effect": "Allow",
            "Resource": "*"
        }
    ]
})"},
    {"AliyunECSReadOnlyAccess",
     "Provides read-only access to Elastic Compute Service (ECS).",
     R"({
    "Version": "1",
    "Statement": [
        {
            "Action": "ecs:Describe*",
            "Effect": "Allow",
            "Resource": "*"
        }
    ]
})"},
    {"AliyunRAMFullAccess",
     "Provides full access to Resource Access Management (RAM).",
     R"({
    "Version": "1",
    "Statement": [
        {
            "Action": "ram:*",
            "Effect": "Allow",
            "Resource": "*"
        }
    ]
})"},
    {"AliyunRAMReadOnlyAccess",
     "Provides read-only access to Resource Access Management (RAM).",
     R"({
    "Version": "1",
    "Statement": [
        {
            "Action": [
                "ram:Get*",
                "ram:List*"
            ],
            "Effect": "Allow",
            "Resource": "*"
        }
    ]
})"},
    {"AliyunSTSAssumeRoleAccess",
     "Provides access to call the AssumeRole operation of Security Token "
     "Service (STS).",
     R"({
    "Version": "1",
    "Statement": [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Resource": "*"
        }
    ]
})"},
}};

}  // namespace

std::span<const SystemPolicy> SystemPolicies() { return kSystemPolicies; }

const SystemPolicy* FindSystemPolicy(std::string_view name) {
  for (const SystemPolicy& p : kSystemPolicies) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const Policy& ParsedSystemPolicy(const SystemPolicy& policy) {
  // Parsed once; a static initializer is thread-safe. The documents are
  // constants checked by ram_test, so a parse failure is a build defect.
  static const std::vector<Policy> parsed = [] {
    std::vector<Policy> out;
    for (const SystemPolicy& p : kSystemPolicies) {
      Result<Policy> r = ParsePolicy(p.document, PolicyKind::kIdentity);
      if (!r.ok()) std::abort();
      out.push_back(std::move(r).value());
    }
    return out;
  }();
  for (size_t i = 0; i < kSystemPolicies.size(); ++i) {
    if (&kSystemPolicies[i] == &policy) return parsed[i];
  }
  std::abort();  // REQUIRES violated: not one of ours
}

}  // namespace swasd::ram
