// The region of a call that names none. Alibaba's regional endpoints
// (swas.cn-hangzhou.aliyuncs.com, ecs-cn-hangzhou.aliyuncs.com,
// vpc.cn-beijing.aliyuncs.com) take the region from the host name, so real
// clients leave RegionId out where the endpoint says it: Terraform's
// tea-rpc calls send ModifyImageShareStatus with only ImageId, Operation
// and ClientToken. swasd does the same: an operation that declares
// RegionId and is called without one gets the region of the Host the
// client called when that is a regional Alibaba endpoint name (clients
// reach swasd under such names through /etc/hosts or a proxy), else the
// configured default region (--default-region). A RegionId the call does
// send always wins. docs/architecture.md, "The region of a call".
#ifndef SWASD_GATEWAY_REGION_H_
#define SWASD_GATEWAY_REGION_H_

#include <optional>
#include <string>
#include <string_view>

namespace swasd::gateway {

// "cn-hangzhou" for "swas.cn-hangzhou.aliyuncs.com[:port]",
// "ecs-cn-hangzhou.aliyuncs.com", "swas-vpc.cn-hangzhou.aliyuncs.com";
// nullopt for a central endpoint ("ecs.aliyuncs.com"), any other host, or
// a label that does not look like a region ID (two to four letters, '-',
// then letters, digits and '-').
std::optional<std::string> RegionFromHost(std::string_view host);

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_REGION_H_
