// The ECS error catalog (alibaba-api.md §6, sdk/other-products.md §8).
#ifndef SWASD_ECS_ERRORS_H_
#define SWASD_ECS_ERRORS_H_

#include "base/error.h"

namespace swasd::ecs::errors {

inline constexpr ErrorSpec kInvalidImageIdNotFound{
    "InvalidImageId.NotFound", 404, "The specified ImageId does not exist."};
inline constexpr ErrorSpec kInvalidInstanceIdNotFound{
    "InvalidInstanceId.NotFound", 404,
    "The specified InstanceId does not exist."};
inline constexpr ErrorSpec kInvalidDiskIdNotFound{
    "InvalidDiskId.NotFound", 404, "The specified disk does not exist."};
inline constexpr ErrorSpec kInvalidRegionIdNotFound{
    "InvalidRegionId.NotFound", 404, "The specified RegionId does not exist."};
inline constexpr ErrorSpec kIncorrectInstanceStatus{
    "IncorrectInstanceStatus", 403,
    "The current status of the resource does not support this operation."};
inline constexpr ErrorSpec kInvalidInstanceTypeValueNotSupported{
    "InvalidInstanceType.ValueNotSupported", 400,
    "The specified InstanceType does not exist or beyond the permitted range."};
inline constexpr ErrorSpec kDryRunOperation{
    "DryRunOperation", 400,
    "Request validation has been passed with DryRun flag set."};
// ReInitDisk of a system disk whose source image ECS may no longer use (a
// SWAS image that was unshared or deleted). Alibaba documents that this is
// refused but not the code; IncorrectImageStatus is the ECS code for an
// image in the wrong state, and 403 is how ECS answers ReInitDisk's other
// state conflicts (IncorrectInstanceStatus, IncorrectDiskStatus).
inline constexpr ErrorSpec kSourceImageUnavailable{
    "IncorrectImageStatus", 403,
    "The source image of the disk is no longer available (it was unshared "
    "or deleted), so the disk cannot be re-initialized."};

}  // namespace swasd::ecs::errors

#endif  // SWASD_ECS_ERRORS_H_
