// Parameter specs for Alibaba's cross-product conventions (RegionId,
// ClientToken, paging, JSON-array id lists) and a read-transaction helper,
// shared by every product's operation rows.
#ifndef SWASD_GATEWAY_COMMON_PARAMS_H_
#define SWASD_GATEWAY_COMMON_PARAMS_H_

#include <string>
#include <vector>

#include "gateway/operation.h"
#include "store/store.h"

namespace swasd::gateway {

inline ParamSpec RegionIdParam(bool required = true) {
  return {.name = "RegionId",
          .required = required,
          .description = "Region of the resource; see the product's region list.",
          .max_length = 64};
}

// ASCII only, at most 64 characters (alibaba-api.md §4).
inline ParamSpec ClientTokenParam() {
  return {.name = "ClientToken",
          .description = "Idempotence token: ASCII, at most 64 characters.",
          .max_length = 64,
          .ascii_only = true};
}

inline ParamSpec IdParam(std::string_view name, bool required,
                         std::string_view what) {
  return {.name = name, .required = required, .description = what,
          .max_length = 128};
}

// A JSON array of ids in one value (`["a","b"]`), or a comma list.
inline ParamSpec IdsParam(std::string_view name, size_t max_items,
                          std::string_view what) {
  return {.name = name, .type = ParamType::kStringList, .description = what,
          .max_items = max_items};
}

inline ParamSpec BoolParam(std::string_view name, std::string_view what) {
  return {.name = name, .type = ParamType::kBoolean, .description = what};
}

inline ParamSpec PageNumberParam() {
  return {.name = "PageNumber", .type = ParamType::kInteger,
          .description = "Page to return, from 1 (default 1).",
          .min_value = 1, .max_value = 1'000'000'000};
}

inline ParamSpec PageSizeParam(int64_t max = 100) {
  return {.name = "PageSize", .type = ParamType::kInteger,
          .description = "Entries per page (default 10).",
          .min_value = 1, .max_value = max};
}

struct PageArgs {
  int64_t number = 1;
  int64_t size = 10;
};
inline PageArgs PageFrom(const Args& args) {
  return {args.Integer("PageNumber").value_or(1),
          args.Integer("PageSize").value_or(10)};
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
