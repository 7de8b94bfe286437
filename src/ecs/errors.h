// The ECS error catalog (alibaba-api.md §6, sdk/other-products.md §8). The
// codes ECS shares with SWAS (InvalidRegionId.NotFound,
// InvalidImageId/InstanceId/DiskId.NotFound) live in base/errors.h.
#ifndef SWASD_ECS_ERRORS_H_
#define SWASD_ECS_ERRORS_H_

#include "base/error.h"
#include "base/errors.h"
#include "swas/errors.h"

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

// --- The launch path: network, host name, user data, disks, tags --------
// RunInstances' error table (AlibabaCloudDocs/ecs, "RunInstances.md").
// A missing or unready vSwitch answers the VPC product's own codes
// (vpc/errors.h: InvalidVSwitchId.NotFound 404, IncorrectVSwitchStatus),
// which RunInstances' table repeats word for word.
inline constexpr ErrorSpec kVSwitchNotInZone{
    "InvalidParameter.Mismatch", 400, "Specified virtual switch is not in the specified zone."};
inline constexpr ErrorSpec kSecurityGroupNotInVSwitchVpc{
    "InvalidParameter.Mismatch", 400,
    "Specified security group and virtual switch are not in the same VPC."};
// A security group always belongs to a VPC, so giving one needs the
// vSwitch of that VPC.
inline constexpr ErrorSpec kMissingVSwitchId{
    "MissingParameter", 400,
    "The input parameter \"VSwitchId\" that is mandatory for processing this request is not "
    "supplied."};
// Two parameters that exclude each other; the message names them.
inline constexpr ErrorSpec kInvalidParameterConflict{
    "InvalidParameter.Conflict", 400, "The specified parameters conflict."};
inline constexpr ErrorSpec kInvalidPrivateIpAddress{
    "InvalidPrivateIpAddress", 400,
    "Specified private IP address is not in the CIDR block of virtual switch."};
inline constexpr ErrorSpec kInvalidPrivateIpAddressMalformed{
    "InvalidPrivateIpAddress.Malformed", 400, "Specified private IP address is malformed."};
inline constexpr ErrorSpec kInvalidPrivateIpAddressDuplicated{
    "InvalidPrivateIpAddress.Duplicated", 400, "Specified private IP address is duplicated."};
inline constexpr ErrorSpec kQuotaExceededPrivateIpAddress{
    "QuotaExceeded.PrivateIpAddress", 400, "Don't have enough private IPs in this switch"};
inline constexpr ErrorSpec kInvalidHostNameMalformed{
    "InvalidHostName.Malformed", 400, "The specified parameter \"HostName\" is not valid."};
inline constexpr ErrorSpec kInvalidInstanceNameMalformed{
    "InvalidInstanceName.Malformed", 400,
    "The specified parameter \"InstanceName\" is not valid."};
inline constexpr ErrorSpec kInvalidUserDataSizeExceeded{
    "InvalidUserData.SizeExceeded", 400, "The specified parameter \"UserData\" exceeds the size."};
// Not in RunInstances' table; the code ECS's error centre lists for it.
inline constexpr ErrorSpec kInvalidUserDataBase64{
    "InvalidUserData.Base64FormatInvalid", 400,
    "The specified parameter \"UserData\" is not a valid Base64 string."};
inline constexpr ErrorSpec kInvalidMinAmountMalformed{
    "InvalidMinAmount.Malformed", 400, "The specified parameter MinAmount is not valid."};
inline constexpr ErrorSpec kInvalidDataDiskSize{
    "InvalidDataDiskSize.ValueNotSupported", 400,
    "The specified DataDisk.n.Size beyond the permitted range, or the capacity of snapshot "
    "exceeds the size limit of the specified disk category."};
inline constexpr ErrorSpec kInvalidDataDiskCategoryValueNotSupported{
    "InvalidDataDiskCategory.ValueNotSupported", 400,
    "The specified parameter \"DataDisk.n.Category\" is not valid."};
inline constexpr ErrorSpec kInvalidDiskNameMalformed{
    "InvalidDiskName.Malformed", 400,
    "The specified parameter \"SyatemDisk.DiskName or DataDisk.n.DiskName\" is not valid."};
// Tag codes: the same codes and words as SWAS's (swas/errors.h).
using swas::errors::kDuplicateTagKey;
using swas::errors::kInvalidTagKeyMalformed;
using swas::errors::kInvalidTagValueMalformed;
// --- Security groups and key pairs (AuthorizeSecurityGroup, CreateSecurity-
// Group, DeleteSecurityGroup, CreateKeyPair, ImportKeyPair pages and the
// ECS error center; codes, statuses and messages as documented).
inline constexpr ErrorSpec kInvalidSecurityGroupIdNotFound{
    "InvalidSecurityGroupId.NotFound", 404, "The specified SecurityGroupId does not exist."};
inline constexpr ErrorSpec kInvalidVpcIdNotFound{
    "InvalidVpcId.NotFound", 404, "Specified VPC does not exist."};
// CreateSecurityGroup without VpcId: only VPC groups exist in swasd, as in
// every region that "only supports vpc vm".
inline constexpr ErrorSpec kVpcIdRequired{
    "InvalidVpcId.NotFound", 403, "The VpcId must not empty when only support vpc vm."};
inline constexpr ErrorSpec kIncorrectVpcStatus{
    "IncorrectVpcStatus", 400, "Current VPC status does not support this operation."};
inline constexpr ErrorSpec kInvalidSecurityGroupNameMalformed{
    "InvalidSecurityGroupName.Malformed", 400, "Specified security group name is not valid."};
inline constexpr ErrorSpec kInvalidDescriptionMalformed{
    "InvalidDescription.Malformed", 400, "The specified parameter \"Description\" is not valid."};
inline constexpr ErrorSpec kInvalidSecurityGroupTypeMalformed{
    "InvalidParams.GroupType", 400, "The specified security group type is not valid."};
inline constexpr ErrorSpec kQuotaExceedSecurityGroup{
    "QuotaExceed.SecurityGroup", 403, "The maximum number of security groups is reached."};
inline constexpr ErrorSpec kSecurityGroupInUse{
    "DependencyViolation", 403, "There is still instance(s) in the specified security group."};
inline constexpr ErrorSpec kInvalidIpProtocolValueNotSupported{
    "InvalidIpProtocol.ValueNotSupported", 400,
    "The parameter IpProtocol must be specified with case insensitive TCP, UDP, ICMP, GRE or All."};
inline constexpr ErrorSpec kInvalidPortRangeMissing{
    "InvalidPortRange.Malformed", 400, "The specified parameter PortRange must set."};
inline constexpr ErrorSpec kInvalidParamPortRange{
    "InvalidParam.PortRange", 400,
    "The specified parameter PortRange is not valid. It should be two integers less than 65535 "
    "in ?/? format."};
inline constexpr ErrorSpec kProtocolPortRangeMismatch{
    "OperationDenied", 400,
    "The specified IpProtocol does not exist or IpProtocol and PortRange do not match."};
inline constexpr ErrorSpec kInvalidSourceCidrIpMalformed{
    "InvalidSourceCidrIp.Malformed", 400, "The specified parameter SourceCidrIp is not valid."};
inline constexpr ErrorSpec kMissingSource{
    "MissingParameter", 403,
    "The input parameter SourceGroupId or SourceCidrIp cannot be both blank."};
inline constexpr ErrorSpec kInvalidPolicyMalformed{
    "InvalidPolicy.Malformed", 400, "The specified parameter Policy is not valid."};
inline constexpr ErrorSpec kInvalidPriorityMalformed{
    "InvalidPriority.Malformed", 400, "The parameter Priority is invalid."};
inline constexpr ErrorSpec kInvalidNicTypeValueNotSupported{
    "InvalidNicType.ValueNotSupported", 400, "The specified NicType does not exist."};
inline constexpr ErrorSpec kInvalidRuleDescriptionMalformed{
    "InvalidSecurityGroupDiscription.Malformed", 400,
    "The specified security group rule description is not valid."};
inline constexpr ErrorSpec kInvalidParamPermissions{
    "InvalidParam.Permissions", 400,
    "The specified parameter Permissions cannot coexist with other parameters."};
inline constexpr ErrorSpec kInvalidParamDuplicatePermissions{
    "InvalidParam.DuplicatePermissions", 400,
    "There are duplicate permissions in the specified parameter Permissions."};
inline constexpr ErrorSpec kAuthorizationLimitExceed{
    "AuthorizationLimitExceed", 403,
    "The limit of authorization records in the security group reaches."};
inline constexpr ErrorSpec kInvalidSecurityGroupRuleIdNotFound{
    "InvalidSecurityGroupRuleId.NotFound", 404, "The specified SecurityGroupRuleId is not exists."};
inline constexpr ErrorSpec kInvalidNextToken{
    "InValidParameter.NextToken", 400, "The parameter NextToken is invalid."};
inline constexpr ErrorSpec kInvalidKeyPairNameNotFound{
    "InvalidKeyPairName.NotFound", 404,
    "The specified KeyPairName does not exist in our records."};
inline constexpr ErrorSpec kInvalidKeyPairNameMalformed{
    "InvalidKeyPairName.Malformed", 400, "Specified Key Pair name is not valid."};
inline constexpr ErrorSpec kKeyPairAlreadyExist{
    "KeyPair.AlreadyExist", 400, "The key pair already exist."};
inline constexpr ErrorSpec kQuotaExceedKeyPair{
    "QuotaExceed.KeyPair", 403, "The key pair quota exceeds."};
inline constexpr ErrorSpec kInvalidPublicKeyBodyMalformed{
    "InvalidPublicKeyBody.Malformed", 400, "The PublicKeyBody format is not supported."};

// The launch checks against the instance type catalog (RunInstances'
// documented codes and statuses; ecs/instance_types.h).
inline constexpr ErrorSpec kInvalidInstanceTypeZoneNotSupported{
    "InvalidInstanceType.ZoneNotSupported", 403,
    "The specified zone does not support this instancetype."};
inline constexpr ErrorSpec kInvalidSystemDiskCategoryValueNotSupported{
    "InvalidSystemDiskCategory.ValueNotSupported", 400,
    "The specified parameter \"SystemDisk.Category\" is not valid."};
inline constexpr ErrorSpec kInvalidDiskCategoryNotSupported{
    "InvalidDiskCategory.NotSupported", 403,
    "The specified disk category is not support the specified instance type."};
// DescribeAvailableResource's documented codes.
inline constexpr ErrorSpec kInvalidParamDestinationResource{
    "Invalid.Param", 400,
    "The input parameter DestinationResource that is mandatory for processing this request is not supplied."};
inline constexpr ErrorSpec kInvalidDestinationResource{
    "Invalid.DestinationResource", 404, "The specified DestinationResource is not valid."};
inline constexpr ErrorSpec kInvalidResourceType{
    "Invalid.ResourceType", 404, "The ResourceType provided does not exist in our records."};
inline constexpr ErrorSpec kInvalidIoOptimized{
    "Invalid.IoOptimized", 404, "The specified IoOptimized is not valid."};
inline constexpr ErrorSpec kInvalidInstanceChargeType{
    "Invalid.InstanceChargeType", 400, "The specified InstanceChargeType is not valid."};
inline constexpr ErrorSpec kInvalidNetworkCategory{
    "Invalid.NetworkCategory", 404, "The specified NetworkCategory is not valid."};
inline constexpr ErrorSpec kInvalidParamTypeAndCpuMemConflict{
    "InvalidParam.TypeAndCpuMem.Conflict", 403,
    "The specified 'InstanceType' and 'Cores','Memory' are not blank at the same time."};
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
