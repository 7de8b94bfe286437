// RAM and STS error catalog (sdk/other-products.md §8; names and statuses
// there are UNCONFIRMED public-doc readings, kept consistent here).
#ifndef SWASD_IAM_ERRORS_H_
#define SWASD_IAM_ERRORS_H_

#include "base/error.h"

namespace swasd::iam::errors {

inline constexpr ErrorSpec kUserNotExist{"EntityNotExist.User", 404,
                                         "The user does not exist."};
inline constexpr ErrorSpec kRoleNotExist{"EntityNotExist.Role", 404,
                                         "The role does not exist."};
inline constexpr ErrorSpec kPolicyNotExist{"EntityNotExist.Policy", 404,
                                           "The policy does not exist."};
inline constexpr ErrorSpec kPolicyVersionNotExist{
    "EntityNotExist.Policy.Version", 404, "The policy version does not exist."};
inline constexpr ErrorSpec kAccessKeyNotExist{
    "EntityNotExist.User.AccessKey", 404, "The AccessKey does not exist."};
inline constexpr ErrorSpec kUserPolicyNotExist{
    "EntityNotExist.User.Policy", 404,
    "The policy is not attached to the user."};
inline constexpr ErrorSpec kRolePolicyNotExist{
    "EntityNotExist.Role.Policy", 404,
    "The policy is not attached to the role."};
inline constexpr ErrorSpec kUserExists{"EntityAlreadyExists.User", 409,
                                       "The user already exists."};
inline constexpr ErrorSpec kRoleExists{"EntityAlreadyExists.Role", 409,
                                       "The role already exists."};
inline constexpr ErrorSpec kPolicyExists{"EntityAlreadyExists.Policy", 409,
                                         "The policy already exists."};
inline constexpr ErrorSpec kUserPolicyExists{
    "EntityAlreadyExists.User.Policy", 409,
    "The policy is already attached to the user."};
inline constexpr ErrorSpec kRolePolicyExists{
    "EntityAlreadyExists.Role.Policy", 409,
    "The policy is already attached to the role."};
inline constexpr ErrorSpec kDeleteConflictUserAccessKey{
    "DeleteConflict.User.AccessKey", 409,
    "The user still has AccessKeys; delete them first."};
inline constexpr ErrorSpec kDeleteConflictUserPolicy{
    "DeleteConflict.User.Policy", 409,
    "The user still has policies attached; detach them first."};
inline constexpr ErrorSpec kDeleteConflictRolePolicy{
    "DeleteConflict.Role.Policy", 409,
    "The role still has policies attached; detach them first."};
inline constexpr ErrorSpec kDeleteConflictPolicyAttachment{
    "DeleteConflict.Policy.Attachment", 409,
    "The policy is still attached to users or roles; detach it first."};
inline constexpr ErrorSpec kDeleteConflictPolicyVersion{
    "DeleteConflict.Policy.Version", 409,
    "The default policy version cannot be deleted."};
inline constexpr ErrorSpec kLimitExceededPolicyVersion{
    "LimitExceeded.Policy.Version", 409,
    "A policy can have at most 5 versions."};
inline constexpr ErrorSpec kLimitExceededUserAccessKey{
    "LimitExceeded.User.AccessKey", 409,
    "A user can have at most 2 AccessKeys."};
inline constexpr ErrorSpec kSystemPolicyReadOnly{
    "NoPermission.SystemPolicy", 403, "System policies cannot be modified."};
// STS
inline constexpr ErrorSpec kNoPermission{
    "NoPermission", 403,
    "You are not authorized to do this action. You should be authorized by "
    "RAM."};
inline constexpr ErrorSpec kInvalidRoleArn{
    "InvalidParameter.RoleArn", 400,
    "The parameter RoleArn is wrongly formed."};
inline constexpr ErrorSpec kInvalidDurationSeconds{
    "InvalidParameter.DurationSeconds", 400,
    "The DurationSeconds must be between 900 and the role's "
    "MaxSessionDuration."};
inline constexpr ErrorSpec kInvalidRoleSessionName{
    "InvalidParameter.RoleSessionName", 400,
    "The RoleSessionName must be 2-64 characters of letters, digits and "
    ".@-_."};

}  // namespace swasd::iam::errors

#endif  // SWASD_IAM_ERRORS_H_
