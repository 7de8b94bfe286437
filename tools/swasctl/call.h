// `swasctl call PRODUCT ACTION [NAME=VALUE ...]`: a curl for the API. Signs
// one request with V3 (ACS3-HMAC-SHA256, protocol::Sign), sends it to
// swasd and prints the answer; needs no store.
//
//   swasctl call swas ListCustomImages RegionId=cn-hangzhou
//   swasctl call ecs DescribeImages RegionId=cn-hangzhou Tag.1.Key=env
//   swasctl call --profile ci --endpoint 127.0.0.1:9000 ram ListUsers
//
// PRODUCT is the aliyun CLI's product code (swas-open, ecs, vpc, ram, sts,
// actiontrail) or swasd's admin product "swasd"; "swas" is accepted for
// swas-open. The API version and the default HTTP method come from the API
// model (api/sdk/*.json), so both follow the SDKs; ACTION must be one the
// model knows. Credentials: see credentials.h. Endpoint: --endpoint, else
// $SWASD_ENDPOINT, else the profile's "endpoint", else 127.0.0.1:8080;
// http:// (the default) or https:// (http_client.h says whom it trusts).
//
// The answer's body goes to stdout (JSON indented; any other body as it
// came). Exit status: 0 for a 2xx answer; 1 for an error answer (its Code,
// Message and RequestId on stderr, one "Name: value" line each, after a
// first line naming the HTTP status) or when no answer came (connection
// refused, deadline); 2 for a wrong command line, profile or environment.
#ifndef SWASD_TOOLS_SWASCTL_CALL_H_
#define SWASD_TOOLS_SWASCTL_CALL_H_

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "apimodel/apimodel.h"
#include "base/error.h"
#include "protocol/params.h"

namespace swasd::swasctl {

// The product a command-line name means (case-insensitive; "swas" is
// swas-open). A usage error lists the known names.
Result<const apimodel::Product*> FindProduct(const apimodel::Model& model,
                                             std::string_view name);

// NAME=VALUE arguments, split at the first '=', in their order. A missing
// '=', an empty name or a repeated name is a usage error. VALUE may be
// empty or hold '='.
Result<protocol::Params> ParseParams(const std::vector<std::string>& args);

// The subcommand: argv[0] is "call". Reads the process environment and
// files, talks to the network. Returns the exit status.
int RunCall(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace swasd::swasctl

#endif  // SWASD_TOOLS_SWASCTL_CALL_H_
