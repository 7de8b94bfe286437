// The VPC (2016-04-28) error catalog: codes and messages from the VPC API
// pages' error tables (CreateVSwitch, DeleteVpc, read 2026-12); where VPC
// documents none, ECS's style, marked so.
#ifndef SWASD_VPC_ERRORS_H_
#define SWASD_VPC_ERRORS_H_

#include "base/error.h"
#include "base/errors.h"

namespace swasd::vpc::errors {

using swasd::errors::kInvalidRegionIdNotFound;

inline constexpr ErrorSpec kInvalidVpcIdNotFound{
    "InvalidVpcId.NotFound", 404, "Specified VPC does not exist."};
inline constexpr ErrorSpec kInvalidVSwitchIdNotFound{
    "InvalidVSwitchId.NotFound", 404, "Specified virtual switch does not exist."};
inline constexpr ErrorSpec kInvalidZoneIdNotFound{
    "InvalidZoneId.NotFound", 404, "Specified zone does not exist in the region."};
inline constexpr ErrorSpec kInvalidCidrBlockMalformed{
    "InvalidCidrBlock.Malformed", 400, "Specified CIDR block is not valid."};
// CreateVSwitch: a block outside its VPC's (the page's own wording).
inline constexpr ErrorSpec kCidrNotInVpc{
    "InvalidParameter", 400, "Specified CIDR block is not valid in VPC."};
inline constexpr ErrorSpec kInvalidCidrBlockOverlapped{
    "InvalidCidrBlock.Overlapped", 400,
    "Specified CIDR block overlapped with other subnets."};
inline constexpr ErrorSpec kQuotaExceededVSwitch{
    "QuotaExceeded.VSwitch", 400, "Virtual switch quota exceeded."};
inline constexpr ErrorSpec kQuotaExceededVpc{
    "QuotaExceeded.Vpc", 400, "VPC quota exceeded."};
inline constexpr ErrorSpec kIncorrectVpcStatus{
    "IncorrectVpcStatus", 400, "Current VPC status does not support this operation."};
inline constexpr ErrorSpec kIncorrectVSwitchStatus{
    "IncorrectVSwitchStatus", 400,
    "The current status of virtual switch does not support this operation."};
inline constexpr ErrorSpec kDependencyViolationVSwitch{
    "DependencyViolation.VSwitch", 400, "Specified object has dependent resources."};
// DeleteVpc: ECS security groups are still in it (DeleteVpc's page).
inline constexpr ErrorSpec kDependencyViolationSecurityGroup{
    "DependencyViolation.SecurityGroup", 400,
    "Specified object has dependent resources SecurityGroup."};
// DeleteVSwitch: instances are still on it.
inline constexpr ErrorSpec kDependencyViolation{
    "DependencyViolation", 400, "Specified object has dependent resources."};
inline constexpr ErrorSpec kInvalidVpcNameMalformed{
    "InvalidVpcName.Malformed", 400, "Specified VPC name is not valid."};
inline constexpr ErrorSpec kInvalidVSwitchNameMalformed{
    "InvalidVSwitchName.Malformed", 400, "Specified virtual switch name is not valid."};
inline constexpr ErrorSpec kInvalidDescriptionMalformed{
    "InvalidDescription.Malformed", 400, "Invalid description."};
inline constexpr ErrorSpec kDryRunOperation{
    "DryRunOperation", 400, "Request validation has been passed with DryRun flag set."};

}  // namespace swasd::vpc::errors

#endif  // SWASD_VPC_ERRORS_H_
