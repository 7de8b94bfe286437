// Validates a call's parameters against its operation's ParamSpecs, with
// the codes Alibaba's products answer: MissingParameter for an absent
// required parameter, InvalidParameter (or the spec's own code) for a bad value.
// Parameters the operation does not declare are ignored, as Alibaba does.
#ifndef SWASD_GATEWAY_VALIDATE_H_
#define SWASD_GATEWAY_VALIDATE_H_

#include "base/error.h"
#include "gateway/operation.h"
#include "protocol/params.h"

namespace swasd::gateway {

// Checks every declared parameter in declaration order; returns the first
// failure.
Status ValidateParams(const OperationSpec& op, const protocol::Params& params);

// Checks one value against one spec (exposed for tests).
Status ValidateValue(const ParamSpec& spec, const std::string& value);

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_VALIDATE_H_
