// The ECS error catalog (alibaba-api.md §6, sdk/other-products.md §8). The
// codes ECS shares with SWAS (InvalidRegionId.NotFound,
// InvalidImageId/InstanceId/DiskId.NotFound) live in base/errors.h.
#ifndef SWASD_ECS_ERRORS_H_
#define SWASD_ECS_ERRORS_H_

#include "base/error.h"
#include "base/errors.h"

namespace swasd::ecs::errors {

using swasd::errors::kInvalidDiskIdNotFound;
using swasd::errors::kInvalidImageIdNotFound;
using swasd::errors::kInvalidInstanceIdNotFound;
using swasd::errors::kInvalidRegionIdNotFound;

// ECS's own message for this code, as ECS answers StopInstance (captured
// in sdk/other-captures.txt); SWAS documents another (swas/errors.h).
inline constexpr ErrorSpec kIncorrectInstanceStatus{
    "IncorrectInstanceStatus", 403,
    "The current status of the resource does not support this operation."};
inline constexpr ErrorSpec kInvalidInstanceTypeValueNotSupported{
    "InvalidInstanceType.ValueNotSupported", 400,
    "The specified InstanceType does not exist or beyond the permitted range."};
inline constexpr ErrorSpec kInvalidZoneIdNotFound{
    "InvalidZoneId.NotFound", 404, "The specified zone does not exist."};
inline constexpr ErrorSpec kDryRunOperation{
    "DryRunOperation", 400,
    "Request validation has been passed with DryRun flag set."};
// ReInitDisk of a system disk whose source image ECS may no longer use (a
// SWAS image that was unshared or deleted). Alibaba documents that this is
// refused but not the code; IncorrectImageStatus is the ECS code for an
// image in the wrong state, and 403 is how ECS answers ReInitDisk's other
// state conflicts (IncorrectInstanceStatus, IncorrectDiskStatus). SWAS's
// own IncorrectImageStatus (400, swas/errors.h) is another answer for
// another situation.
inline constexpr ErrorSpec kSourceImageUnavailable{
    "IncorrectImageStatus", 403,
    "The source image of the disk is no longer available (it was unshared "
    "or deleted), so the disk cannot be re-initialized."};

// --- Own ECS images (CreateImage, CopyImage, DeleteImage,
// ModifyImageAttribute, ModifyImageSharePermission,
// DescribeImageSharePermission), from the ECS API pages' error tables.
// An image ECS shows the caller but that is not its own ECS custom image
// (a SWAS image shared to ECS, another account's shared image, a public
// image) cannot be changed, deleted or shared: ECS answers as its old image
// share API does for an image of another owner (alibaba-api.md §6), the
// text verbatim.
inline constexpr ErrorSpec kImageNotOwned{
    "InvalidImageId.NotFound", 403,
    "The specified Image does not exist or not you onwer."};
inline constexpr ErrorSpec kInvalidImageNameMalformed{
    "InvalidImageName.Malformed", 400, "The specified Image name is wrongly formed."};
inline constexpr ErrorSpec kInvalidImageNameDuplicated{
    "InvalidImageName.Duplicated", 400, "The specified Image name has already been used."};
inline constexpr ErrorSpec kInvalidDescriptionMalformed{
    "InvalidDescription.Malformed", 400, "The specified description is wrongly formed."};
// CreateImage without InstanceId (snapshots are not emulated).
inline constexpr ErrorSpec kCreateImageSourceMissing{
    "MissingParameter", 400,
    "The input parameter SnapshotId or InstanceId or DiskDeviceMapping that is "
    "mandatory for processing this request is not supplied."};
// CreateImage from an instance that is neither Running nor Stopped (400 on
// the CreateImage page, unlike the power operations' 403).
inline constexpr ErrorSpec kCreateImageIncorrectInstanceStatus{
    "IncorrectInstanceStatus", 400,
    "The current status of the instance does not support this operation."};
// CopyImage / ModifyImageSharePermission of an image still Creating.
inline constexpr ErrorSpec kIncorrectImageStatus{
    "IncorrectImageStatus", 400, "The image is not available."};
inline constexpr ErrorSpec kImageIsCreating{
    "ImageIsCreating", 403, "The specified image is being created."};
inline constexpr ErrorSpec kImageUsingByInstance{
    "ImageUsingByInstance", 403, "The specified image has been used to create instances."};
inline constexpr ErrorSpec kImageUseShared{
    "ImageUseShared", 403, "The specified image has been shared to others."};
inline constexpr ErrorSpec kDestinationRegionNotFound{
    "DestinationRegion.NotFound", 400, "The destination region not found"};
inline constexpr ErrorSpec kOperationDeniedSameRegionOnly{
    "OperationDenied.SameRegionOnly", 403,
    "The image shared from others can not be copied to another region directly."};
// ModifyImageSharePermission: AddAccount.N naming the owner itself, an
// account that does not exist, and more than 50 accounts in all (codes
// and texts verbatim, "Forbbiden" included).
inline constexpr ErrorSpec kInvalidAccountForbidden{
    "InvalidAccount.Forbbiden", 404, "The specified account does not yourself."};
inline constexpr ErrorSpec kInvalidAccountNotFound{
    "InvalidAccount.NotFound", 404,
    "The specified parameter AddAccount.n or RemoveAccount.n does not exist."};
inline constexpr ErrorSpec kQuotaExceedShareImageUser{
    "QuotaExceed.ShareImageUser", 403, "The shared image user quota exceeds."};

}  // namespace swasd::ecs::errors

#endif  // SWASD_ECS_ERRORS_H_
