// The common error catalog: the gateway's codes and the codes more than one
// product answers alike. Codes, statuses and messages follow what Alibaba
// answers; see ../shared/reference/alibaba-api.md §3.5. Entries marked
// UNCONFIRMED there are our documented choice (docs/errors.md).
//
// A code is defined once, in one catalog: here when products share it, else
// in the product's errors.h. A product catalog defines a code this catalog
// has only when Alibaba's products answer it differently (e.g.
// IncorrectInstanceStatus: SWAS and ECS document different messages).
#ifndef SWASD_BASE_ERRORS_H_
#define SWASD_BASE_ERRORS_H_

#include "base/error.h"

namespace swasd::errors {

inline constexpr ErrorSpec kInternalError{
    "InternalError", 500, "An error occurred while processing your request."};
inline constexpr ErrorSpec kServiceUnavailable{
    "ServiceUnavailable", 503,
    "The request has failed due to a temporary failure of the server."};
inline constexpr ErrorSpec kMissingParameter{
    "MissingParameter", 400,
    "The input parameter that is mandatory for processing this request is not "
    "supplied."};
inline constexpr ErrorSpec kInvalidParameter{
    "InvalidParameter", 400, "The specified parameter is not valid."};
inline constexpr ErrorSpec kIncompleteSignature{
    "IncompleteSignature", 400,
    "The request signature does not conform to Aliyun standards."};
inline constexpr ErrorSpec kSignatureDoesNotMatch{
    "SignatureDoesNotMatch", 400,
    "Specified signature is not matched with our calculation."};
inline constexpr ErrorSpec kInvalidAccessKeyIdNotFound{
    "InvalidAccessKeyId.NotFound", 404, "Specified access key is not found."};
inline constexpr ErrorSpec kInvalidAccessKeyIdInactive{
    "InvalidAccessKeyId.Inactive", 400, "Specified access key is disabled."};
inline constexpr ErrorSpec kSignatureNonceUsed{
    "SignatureNonceUsed", 400, "Specified signature nonce was used already."};
inline constexpr ErrorSpec kInvalidTimeStampExpired{
    "InvalidTimeStamp.Expired", 400,
    "Specified time stamp or date value is expired."};
inline constexpr ErrorSpec kInvalidTimeStampFormat{
    "InvalidTimeStamp.Format", 400,
    "Specified time stamp or date value is not well formatted."};
inline constexpr ErrorSpec kInvalidActionNotFound{
    "InvalidAction.NotFound", 404,
    "Specified api is not found, please check your url and method."};
// An operation the official SDKs know but swasd does not implement yet
// (docs/coverage.md lists them). Alibaba never answers this code, and HTTP
// 400 rather than 501: clients such as Terraform's provider retry every
// 5xx until their timeout, which would hide the answer for minutes.
inline constexpr ErrorSpec kNotImplemented{
    "NotImplemented.Swasd", 400,
    "swasd does not implement this operation yet."};
inline constexpr ErrorSpec kInvalidVersion{
    "InvalidVersion", 400,
    "Specified parameter Version is not valid."};
inline constexpr ErrorSpec kUnsupportedHTTPMethod{
    "UnsupportedHTTPMethod", 400,
    "This http method is not supported."};
inline constexpr ErrorSpec kUnsupportedSignatureMethod{
    "InvalidSignatureMethod", 400,
    "Specified signature method is not supported."};
inline constexpr ErrorSpec kInvalidContentSha256{
    "InvalidParameter.ContentSha256", 400,
    "The x-acs-content-sha256 header does not match the request body."};
inline constexpr ErrorSpec kIdempotentParameterMismatch{
    "IdempotentParameterMismatch", 400,
    "Request uses a client token in a previous request but is not identical "
    "to that request."};
inline constexpr ErrorSpec kLastTokenProcessing{
    "LastTokenProcessing", 409,
    "The last request with this client token is still being processed; "
    "retry later."};
inline constexpr ErrorSpec kThrottlingUser{
    "Throttling.User", 400, "Request was denied due to user flow control."};
inline constexpr ErrorSpec kForbiddenRam{
    "Forbidden.RAM", 403,
    "User not authorized to operate on the specified resource, or this API "
    "doesn't support RAM."};
// The resource-lookup codes SWAS and ECS share. The region message is the
// one ECS confirms; the others follow the documented `The specified <X>Id
// does not exist.` pattern (alibaba-api.md §1).
inline constexpr ErrorSpec kInvalidRegionIdNotFound{
    "InvalidRegionId.NotFound", 404, "The specified region does not exist."};
inline constexpr ErrorSpec kInvalidImageIdNotFound{
    "InvalidImageId.NotFound", 404, "The specified ImageId does not exist."};
inline constexpr ErrorSpec kInvalidInstanceIdNotFound{
    "InvalidInstanceId.NotFound", 404,
    "The specified InstanceId does not exist."};
inline constexpr ErrorSpec kInvalidDiskIdNotFound{
    "InvalidDiskId.NotFound", 404, "The specified DiskId does not exist."};

// "Missing<Name>": the API gateway's answer for an absent protocol
// parameter, e.g. MissingTimestamp "Timestamp is mandatory for this action.".
Error MissingParam(std::string_view name);
// "MissingParameter": the products' answer for an absent operation
// parameter, with the message ECS documents (e.g. DeleteSnapshot): "The
// input parameter SnapshotId that is mandatory for processing this request
// is not supplied."
Error MissingOperationParam(std::string_view name);
// "InvalidParameter" naming the parameter and why.
Error InvalidParam(std::string_view name, std::string_view why);

}  // namespace swasd::errors

#endif  // SWASD_BASE_ERRORS_H_
