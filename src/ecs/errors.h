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

}  // namespace swasd::ecs::errors

#endif  // SWASD_ECS_ERRORS_H_
