// Authorization: decides whether an authenticated principal may run an
// operation on its resource. Runs after authentication and parameter
// validation and before the handler, so a denied caller learns nothing
// about whether the resource exists.
#ifndef SWASD_GATEWAY_AUTHZ_H_
#define SWASD_GATEWAY_AUTHZ_H_

#include <string>

#include "base/error.h"
#include "gateway/operation.h"

namespace swasd::gateway {

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // OK to proceed, or the error to answer (Forbidden.RAM with
  // AccessDeniedDetail). Thread-safe.
  virtual Status Authorize(const CallContext& ctx, const OperationSpec& op,
                           const Args& args) const = 0;
};

// The resource ARN of a call: op.resource with {AccountId}, {RegionId} and
// {<Param>} filled in ("*" stays "*"; a missing parameter becomes "*").
std::string ResourceArn(const OperationSpec& op, const CallContext& ctx,
                        const Args& args);

// Until RAM policies land: an account's root identity may do everything in
// its own account (as on Alibaba); any other principal is implicitly
// denied, since no policy could have granted it anything.
class RootOnlyAuthorizer final : public Authorizer {
 public:
  Status Authorize(const CallContext& ctx, const OperationSpec& op,
                   const Args& args) const override;
};

// The Forbidden.RAM error with Alibaba's AccessDeniedDetail.
Error AccessDenied(const CallContext& ctx, const OperationSpec& op,
                   bool explicit_deny);

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_AUTHZ_H_
