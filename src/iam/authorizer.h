// RAM policy enforcement for every call (the gateway's Authorizer):
//   - an account's root identity may do everything in its own account;
//   - a RAM user may do what the policies attached to it allow;
//   - an STS role session may do what the role's policies allow,
//     intersected with the session policy given to AssumeRole.
// Explicit Deny wins over any Allow; no Allow is an implicit deny. A denied
// call is Forbidden.RAM 403 with AccessDeniedDetail. It runs before the
// handler looks anything up, so a denied caller learns nothing about
// whether the resource exists. In soft mode the decision is logged and the
// call allowed (for users adopting policies).
#ifndef SWASD_IAM_AUTHORIZER_H_
#define SWASD_IAM_AUTHORIZER_H_

#include "base/clock.h"
#include "gateway/authz.h"
#include "iam/service.h"
#include "store/store.h"

namespace swasd::iam {

enum class RamMode { kEnforce, kSoft };

class RamAuthorizer final : public gateway::Authorizer {
 public:
  RamAuthorizer(store::Store* store, const Service* service, const Clock* clock, RamMode mode)
      : store_(store), service_(service), clock_(clock), mode_(mode) {}

  Status Authorize(const gateway::CallContext& ctx, const gateway::OperationSpec& op,
                   const gateway::Args& args) const override;

 private:
  store::Store* store_;
  const Service* service_;
  const Clock* clock_;
  RamMode mode_;
};

// The caller's ARN as RAM names it: acs:ram::<account>:root,
// acs:ram::<account>:user/<name>, acs:ram::<account>:assumed-role/<role>/<session>.
std::string PrincipalArn(const gateway::Principal& p);

}  // namespace swasd::iam

#endif  // SWASD_IAM_AUTHORIZER_H_
