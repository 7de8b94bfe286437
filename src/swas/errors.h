// The SWAS error catalog. Codes, statuses and messages from the SWAS API
// pages and error-code catalog (alibaba-api.md §1–2); where SWAS documents
// nothing the ECS equivalent is used and marked so. The codes SWAS shares
// with ECS (InvalidRegionId.NotFound, InvalidImageId/InstanceId/DiskId
// .NotFound) live in base/errors.h.
#ifndef SWASD_SWAS_ERRORS_H_
#define SWASD_SWAS_ERRORS_H_

#include "base/error.h"
#include "base/errors.h"

namespace swasd::swas::errors {

using swasd::errors::kInvalidDiskIdNotFound;
using swasd::errors::kInvalidImageIdNotFound;
using swasd::errors::kInvalidInstanceIdNotFound;
using swasd::errors::kInvalidRegionIdNotFound;

inline constexpr ErrorSpec kInvalidParamOperationIllegal{
    "InvalidParam.OperationIllegal", 400,
    "The specified parameter operation is illegal."};
inline constexpr ErrorSpec kInvalidSnapshotIdNotFound{
    "InvalidSnapshotId.NotFound", 404,
    "The specified SnapshotId does not exist."};
inline constexpr ErrorSpec kInvalidPlanIdNotFound{
    "InvalidPlanId.NotFound", 404, "The specified PlanId does not exist."};
inline constexpr ErrorSpec kCustomImageInShare{
    "CustomImageInShare", 400,
    "The custom image is being shared. Please disable sharing first and then "
    "delete it."};
// The catalog's second message for this code: deleting an image that is
// still shared with other accounts.
inline constexpr ErrorSpec kCustomImageInShareAccounts{
    "CustomImageInShare", 400,
    "The custom image is in sharing,please unshare first then to retry."};
inline constexpr ErrorSpec kCustomImageQuotaLimit{
    "CustomImageQuotaLimit", 400,
    "The maximum number of custom image in this region is exceeded."};
inline constexpr ErrorSpec kImageNameAlreadyExist{
    "ImageNameAlreadyExist", 400, "The image name already exists."};
// SWAS's own message for this code; ECS answers it with another
// (ecs/errors.h).
inline constexpr ErrorSpec kIncorrectInstanceStatus{
    "IncorrectInstanceStatus", 403,
    "The state of the current instance does not support this operation."};
// Not in the SWAS catalog: the old ECS sharing API's answer for an image
// that is not available yet.
inline constexpr ErrorSpec kIncorrectImageStatus{
    "IncorrectImageStatus", 400, "The image is not available."};
// Not in the SWAS catalog: ECS DeleteSnapshot's answer.
inline constexpr ErrorSpec kSnapshotCreatedImage{
    "SnapshotCreatedImage", 403,
    "The snapshot has been used to create user defined image(s)."};
// Not in the SWAS catalog: neither CreateCustomImage's nor ResetDisk's page
// names a code for a snapshot that is not Accomplished yet.
inline constexpr ErrorSpec kIncorrectSnapshotStatus{
    "IncorrectSnapshotStatus", 400,
    "The snapshot is not accomplished yet."};
inline constexpr ErrorSpec kIncorrectDiskStatusCreatingSnapshot{
    "IncorrectDiskStatus.CreatingSnapshot", 403,
    "A snapshot is being created on the disk; retry later."};

// --- Sharing to other accounts and ResetSystem. Alibaba documents these
// rules (share-custom-images-across-accounts, ResetSystem "Limits") but not
// their codes; these are swasd's, in the ECS style (docs/coverage.md,
// "Decisions"). ---
inline constexpr ErrorSpec kInvalidAccountNotFound{
    "InvalidAccount.NotFound", 404, "The specified account does not exist."};
inline constexpr ErrorSpec kShareAccountQuotaExceeded{
    "QuotaExceed.ShareAccount", 400,
    "A custom image can be shared with at most 10 Alibaba Cloud accounts."};
// A recipient acting as the owner of an image shared with it.
inline constexpr ErrorSpec kSharedImageNotOwned{
    "Forbidden.SharedImage", 403,
    "The custom image is shared with your account by another account; only "
    "its owner can delete it, change it or share it."};
inline constexpr ErrorSpec kImageFromThisInstance{
    "InvalidImage.CreatedFromInstance", 400,
    "The custom image was created from this server; roll its disks back to a "
    "snapshot (ResetDisk) instead."};
inline constexpr ErrorSpec kDataDiskImageNoReset{
    "UnsupportedOperation.DataDiskImage", 400,
    "The server was created from a custom image that contains data-disk data "
    "and cannot be reset."};
inline constexpr ErrorSpec kOsTypeSwitchNotSupported{
    "InvalidImage.OsTypeMismatch", 400,
    "Outside the Chinese mainland a server cannot switch between Windows and "
    "Linux."};
inline constexpr ErrorSpec kSnapshotBeforeReset{
    "InvalidSnapshot.CreatedBeforeReset", 400,
    "The snapshot was taken before the server was reset and cannot roll its "
    "disks back."};
inline constexpr ErrorSpec kImageDiskTooLarge{
    "InvalidImage.DiskSizeExceeded", 400,
    "The custom image needs a larger system disk than the server has."};

// Tags (TagResources, UntagResources, ListTagResources, Tag.N on the create
// calls). SWAS's pages list no codes of their own for these; the codes,
// statuses and messages are ECS TagResources' (docs/coverage.md, "Tags and
// resource groups").
inline constexpr ErrorSpec kInvalidResourceIdNotFound{
    "InvalidResourceId.NotFound", 404,
    "The specified ResourceIds are not found in our records."};
inline constexpr ErrorSpec kInvalidResourceTypeNotFound{
    "InvalidResourceType.NotFound", 404,
    "The ResourceType provided does not exist in our records."};
inline constexpr ErrorSpec kInvalidResourceTypeNotSupported{
    "InvalidResourceType.NotSupported", 400,
    "The specified ResourceType is not supported by swasd."};
inline constexpr ErrorSpec kInvalidTagKeyMalformed{
    "InvalidTagKey.Malformed", 400, "The specified Tag.n.Key is not valid."};
inline constexpr ErrorSpec kInvalidTagValueMalformed{
    "InvalidTagValue.Malformed", 400, "The specified Tag.n.Value is not valid."};
inline constexpr ErrorSpec kDuplicateTagKey{
    "Duplicate.TagKey", 400, "The Tag.N.Key contain duplicate key."};
inline constexpr ErrorSpec kTagQuotaExceed{
    "OperationDenied.QuotaExceed", 400,
    "The quota of tags on resource is beyond permitted range."};
inline constexpr ErrorSpec kInvalidNextToken{
    "InvalidNextToken", 400, "The specified NextToken is not valid."};

// --- Disks, snapshots and plan changes (swas/disks.cc) ------------------------
// ResetDisk's page: the server must be Stopped.
inline constexpr ErrorSpec kIncorrectInstanceStatusResetDisk{
    "IncorrectInstanceStatus.ResetDisk", 403,
    "Rolling back the disk requires the server to be stopped."};
// Not in the SWAS catalog: ECS ResetDisk's answer for a snapshot of another
// disk (SWAS's ResetDisk page lists no code for it).
inline constexpr ErrorSpec kInvalidParameterMismatch{
    "InvalidParameter.Mismatch", 403,
    "The specified snapshot isn't created from the specified disk."};
// UpgradeInstance's page: a plan that is not bigger than the current one.
inline constexpr ErrorSpec kInvalidPlanIdUpgradeValueNotSupported{
    "InvalidPlanIdUpgrade.ValueNotSupported", 400,
    "The specification of the specified planId is lower than the current "
    "server specification."};
// The SWAS password pages (ModifyInstanceVncPassword's table; the rules of
// UpdateInstanceAttribute's Password).
inline constexpr ErrorSpec kInvalidPasswordValueNotSupported{
    "InvalidPassword.ValueNotSupported", 400,
    "The specified parameter Password is invalid."};
// Firewall rules: the CreateFirewallRule / DeleteFirewallRule pages and the
// SWAS error-code list.
inline constexpr ErrorSpec kInvalidProtocolValueNotSupported{
    "InvalidProtocol.ValueNotSupported", 400,
    "The specified parameter Protocol is invalid."};
inline constexpr ErrorSpec kInvalidPortValueNotSupported{
    "InvalidPort.ValueNotSupported", 400,
    "The specified parameter Port is invalid."};
inline constexpr ErrorSpec kFirewallRuleAlreadyExist{
    "FirewallRuleAlreadyExist", 403, "The firewall rule already exists."};
inline constexpr ErrorSpec kFirewallRuleLimitExceed{
    "FirewallRuleLimitExceed", 403,
    "The number of firewall rules exceeds the upper limit."};
// Not in the SWAS catalog: Alibaba documents no answer for an unknown
// RuleId; swasd follows the Invalid<X>Id.NotFound pattern of the others.
inline constexpr ErrorSpec kInvalidFirewallRuleIdNotFound{
    "InvalidFirewallRuleId.NotFound", 404,
    "The specified RuleId does not exist."};

}  // namespace swasd::swas::errors

#endif  // SWASD_SWAS_ERRORS_H_
