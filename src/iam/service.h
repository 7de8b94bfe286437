// The RAM service's domain rules (iam/ is the service; ram/ is the policy
// language it evaluates): identities and policies of an account (users,
// their AccessKeys, custom policies with versions, roles with trust
// policies, attachments), STS AssumeRole, and what the authorizer needs
// from them. Stored as store Resources with an empty region: RAM is
// global. Every method is scoped to one account and runs in a
// caller-supplied transaction.
#ifndef SWASD_IAM_SERVICE_H_
#define SWASD_IAM_SERVICE_H_

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "ram/policy.h"
#include "store/store.h"

namespace swasd::iam {

// The store kinds of RAM's resources (store::Resource::kind).
inline constexpr char kUserKind[] = "ram.user";
inline constexpr char kPolicyKind[] = "ram.policy";
inline constexpr char kRoleKind[] = "ram.role";

struct User {
  std::string id, name, display_name, mobile, email, comments;
  int64_t created_ms = 0, updated_ms = 0;
};

struct PolicyVersion {
  std::string id;  // "v1", "v2" ...
  std::string document;
  int64_t created_ms = 0;
};

struct Policy {
  std::string name, type;  // type: "System" | "Custom"
  std::string description, default_version = "v1";
  std::vector<PolicyVersion> versions;
  int next_version = 2;
  int64_t created_ms = 0, updated_ms = 0;
  int64_t attachment_count = 0;  // filled by GetPolicy/ListPolicies
  const PolicyVersion* Default() const;
};

struct Role {
  std::string id, name, arn, description, trust_document;
  int64_t max_session_duration = 3600;
  int64_t created_ms = 0, updated_ms = 0;
};

enum class PrincipalKind { kUser, kRole };

struct Attachment {
  PrincipalKind kind;
  std::string principal_name, policy_type, policy_name;
  int64_t attached_ms = 0;
};

// An STS AssumeRole call, its parameters already well-formed.
struct AssumeRoleRequest {
  std::string account, role_name;  // the role, from RoleArn
  std::string session_name;
  int64_t duration_seconds = 3600;
  std::string session_policy;  // a valid identity policy, or empty
  // Offered to the trust policy as the condition key sts:ExternalId; a
  // condition on that key does not hold when it is absent.
  std::optional<std::string> external_id;
  // The caller, as the trust policy sees it.
  std::string caller_arn, caller_account, source_ip;
};

// The temporary credentials of a role session.
struct AssumedRole {
  std::string arn;              // acs:ram::<account>:role/<name>/<session>
  std::string assumed_role_id;  // <role id>:<session>
  std::string access_key_id, access_key_secret, security_token;
  int64_t expires_at = 0;  // unix seconds
};

class Service {
 public:
  explicit Service(const Clock* clock) : clock_(clock) {}

  // Users.
  Result<User> CreateUser(store::Tx& tx, const std::string& account, User user) const;
  Result<User> GetUser(store::Tx& tx, const std::string& account, const std::string& name) const;
  Result<std::vector<User>> ListUsers(store::Tx& tx, const std::string& account) const;
  Status DeleteUser(store::Tx& tx, const std::string& account, const std::string& name) const;

  // A RAM user's AccessKeys (the account's own root keys when user is empty).
  Result<store::AccessKey> CreateAccessKey(store::Tx& tx, const std::string& account,
                                           const std::string& user) const;
  Result<std::vector<store::AccessKey>> ListAccessKeys(store::Tx& tx, const std::string& account,
                                                       const std::string& user) const;
  Status UpdateAccessKey(store::Tx& tx, const std::string& account, const std::string& user,
                         const std::string& key_id, bool active) const;
  Status DeleteAccessKey(store::Tx& tx, const std::string& account, const std::string& user,
                         const std::string& key_id) const;

  // Policies. System policies are read-only and shared by every account.
  Result<Policy> CreatePolicy(store::Tx& tx, const std::string& account, const std::string& name,
                              const std::string& description, const std::string& document) const;
  Result<Policy> GetPolicy(store::Tx& tx, const std::string& account, const std::string& name,
                           const std::string& type) const;
  Result<std::vector<Policy>> ListPolicies(store::Tx& tx, const std::string& account,
                                           const std::optional<std::string>& type) const;
  Result<PolicyVersion> CreatePolicyVersion(store::Tx& tx, const std::string& account,
                                            const std::string& name, const std::string& document,
                                            bool set_default, bool rotate) const;
  Status SetDefaultPolicyVersion(store::Tx& tx, const std::string& account,
                                 const std::string& name, const std::string& version) const;
  Status DeletePolicy(store::Tx& tx, const std::string& account, const std::string& name) const;

  // Attachments.
  Status Attach(store::Tx& tx, const std::string& account, PrincipalKind kind,
                const std::string& principal, const std::string& policy_type,
                const std::string& policy_name) const;
  Status Detach(store::Tx& tx, const std::string& account, PrincipalKind kind,
                const std::string& principal, const std::string& policy_type,
                const std::string& policy_name) const;
  Result<std::vector<Attachment>> AttachmentsOf(store::Tx& tx, const std::string& account,
                                                PrincipalKind kind,
                                                const std::string& principal) const;

  // Roles.
  Result<Role> CreateRole(store::Tx& tx, const std::string& account, Role role) const;
  Result<Role> GetRole(store::Tx& tx, const std::string& account, const std::string& name) const;
  Status DeleteRole(store::Tx& tx, const std::string& account, const std::string& name) const;

  // STS: a session of the role for the caller, if the role's trust policy
  // lets the caller assume it (evaluated as sts:AssumeRole on the role's
  // ARN with acs:SourceIp, acs:CurrentTime and, when given,
  // sts:ExternalId). Mints the session's key, secret and token under the
  // STS signing key (created on first use). Failure: EntityNotExist.Role,
  // InvalidParameter.DurationSeconds (outside 900..MaxSessionDuration),
  // NoPermission (the trust policy does not allow the caller).
  Result<AssumedRole> AssumeRole(store::Tx& tx, const AssumeRoleRequest& req) const;

  // The parsed default documents of every policy attached to the principal
  // (for authorization). A role that no longer exists has none.
  Result<std::vector<ram::Policy>> EffectivePolicies(store::Tx& tx, const std::string& account,
                                                     PrincipalKind kind,
                                                     const std::string& principal) const;

 private:
  int64_t NowMs() const { return clock_->NowUnixMillis(); }
  const Clock* clock_;
};

// Name rules (RAM): user/role/policy names 1-64 (roles, policies: 1-64 and
// 1-128) of letters, digits, '.', '_', '-' (users also '@').
bool ValidEntityName(std::string_view name, size_t max, bool allow_at);

}  // namespace swasd::iam

#endif  // SWASD_IAM_SERVICE_H_
