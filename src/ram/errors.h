// The RAM policy-document error catalog. Alibaba documents the code family
// (InvalidParameter.PolicyDocument…, MalformedPolicyDocument) but not every
// exact code and message (sdk/other-products.md §8, UNCONFIRMED); this is
// our small, consistent choice:
//   - MalformedPolicyDocument: the text is not a JSON document we can read
//     (syntax, invalid UTF-8, nesting too deep, not an object);
//   - InvalidParameter.PolicyDocument.Length: empty or over 6144 characters;
//   - InvalidParameter.PolicyDocument.InvalidValue: valid JSON that is not a
//     valid policy; the message names the bad part
//     ("Statement[1].Effect must be \"Allow\" or \"Deny\"").
// All are 400. STS answers a bad AssumeRole `Policy` with
// InvalidParameter.PolicyGrammar; the STS handler maps to that code.
#ifndef SWASD_RAM_ERRORS_H_
#define SWASD_RAM_ERRORS_H_

#include "base/error.h"

namespace swasd::ram::errors {

inline constexpr ErrorSpec kMalformedPolicyDocument{
    "MalformedPolicyDocument", 400,
    "The policy document is not a well-formed JSON document."};
inline constexpr ErrorSpec kPolicyDocumentLength{
    "InvalidParameter.PolicyDocument.Length", 400,
    "The policy document must be 1 to 6144 characters in length."};
inline constexpr ErrorSpec kPolicyDocumentInvalidValue{
    "InvalidParameter.PolicyDocument.InvalidValue", 400,
    "The policy document is not a valid policy."};
// STS AssumeRole's code for an invalid session policy.
inline constexpr ErrorSpec kPolicyGrammar{"InvalidParameter.PolicyGrammar", 400,
                                          "The policy grammar is invalid."};

}  // namespace swasd::ram::errors

#endif  // SWASD_RAM_ERRORS_H_
