// Readers for Alibaba's cross-product parameter conventions (paging,
// JSON-array id lists) and a read-transaction helper, shared by every
// product's handlers. Their declarations (limits, required-ness) are in
// each product's api/overlay/*.json.
#ifndef SWASD_GATEWAY_COMMON_PARAMS_H_
#define SWASD_GATEWAY_COMMON_PARAMS_H_

#include <string>
#include <vector>

#include "gateway/operation.h"
#include "store/paging.h"
#include "store/store.h"

namespace swasd::gateway {

// The page a call asks for (PageNumber/PageSize, defaults 1 and 10).
inline store::Page PageFrom(const Args& args) {
  return {args.Integer("PageNumber").value_or(1),
          args.Integer("PageSize").value_or(10)};
}

// The page of a call that may page either way (ECS's DescribeInstances,
// DescribeSecurityGroups...): with NextToken or MaxResults, token paging
// (MaxResults entries, default 10; a NextToken swasd did not give answers
// `bad_token`), PageNumber and PageSize then ignored as Alibaba documents;
// otherwise PageFrom.
inline Result<store::Page> PageOrTokenFrom(const Args& args, const ErrorSpec& bad_token) {
  auto token = args.String("NextToken");
  auto max = args.Integer("MaxResults");
  if (!token && !max) return PageFrom(args);
  store::Page page;
  page.by_token = true;
  page.size = max.value_or(10);
  if (token && !token->empty()) {
    auto offset = store::ParseOffsetToken(*token);
    if (!offset) return bad_token;
    page.offset = *offset;
  }
  return page;
}

inline std::vector<std::string> ListArg(const Args& args,
                                        std::string_view name) {
  return args.StringList(name).value_or(std::vector<std::string>{});
}

// Runs `fn(tx) -> Result<Json>` in a read transaction.
template <typename F>
Result<Json> ReadJson(store::Store* store, F fn) {
  Json out;
  SWASD_RETURN_IF_ERROR(store->Read([&](store::Tx& tx) -> Status {
    SWASD_ASSIGN_OR_RETURN(out, fn(tx));
    return Status::Ok();
  }));
  return out;
}

}  // namespace swasd::gateway

#endif  // SWASD_GATEWAY_COMMON_PARAMS_H_
