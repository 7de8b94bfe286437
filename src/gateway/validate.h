// Validates a call's parameters against its operation's ParamSpecs, with
// the codes Alibaba's products answer: MissingParameter for an absent
// required parameter, InvalidParameter (or the spec's own code) for a bad value.
// Parameters the operation does not declare are ignored, as Alibaba does.
#ifndef SWASD_GATEWAY_VALIDATE_H_
#define SWASD_GATEWAY_VALIDATE_H_

#include <string_view>
#include <vector>

#include "base/error.h"
#include "gateway/operation.h"
#include "protocol/params.h"

namespace swasd::gateway {

// Checks every declared parameter in declaration order; returns the first
// failure.
Status ValidateParams(const OperationSpec& op, const protocol::Params& params);

// Checks one value against one spec (exposed for tests).
Status ValidateValue(const ParamSpec& spec, const std::string& value);

// One parameter of a repeat or flat family: "Tag.2.Key" is {2, "Key"} for
// the family "Tag"; "Account.1" is {1, ""}; the flat "LoginCredentials.
// Password" is {0, "Password"}. index is -1 when the text after the dot
// is not a decimal number without leading zeros.
struct FamilyMember {
  std::string_view key;  // the whole parameter name
  int64_t index = 0;
  std::string_view field;
  const std::string* value = nullptr;
};
// Every parameter named `family` + "." + ..., in the request's order.
// `indexed`: the first part after the family is an index (repeat style).
std::vector<FamilyMember> FamilyMembers(const protocol::Params& params,
                                        std::string_view family, bool indexed);

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_VALIDATE_H_
