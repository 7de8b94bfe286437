// Decoding a product's stored Resource document (header-only; users link
// nlohmann_json themselves). Products keep their own fields in
// Resource::doc as JSON; a document that does not parse or lacks a field
// is corrupt state, answered InternalError with the cause attached (logged
// under the RequestId, never sent).
#ifndef SWASD_STORE_DOCUMENT_H_
#define SWASD_STORE_DOCUMENT_H_

#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/errors.h"
#include "store/store.h"

namespace swasd::store {

// A T filled from `r`: the indexed columns every resource struct has (id,
// account_id, region_id, name, created_ms), then `fill(json, T&)` for the
// rest of the document.
template <typename T, typename F>
Result<T> DecodeDocument(const Resource& r, F fill) {
  try {
    nlohmann::json j = nlohmann::json::parse(r.doc);
    T v;
    if constexpr (requires { v.id; v.account_id; v.region_id; v.name; v.created_ms; }) {
      v.id = r.id;
      v.account_id = r.account_id;
      v.region_id = r.region_id;
      v.name = r.name;
      v.created_ms = r.created_at;
    }
    fill(j, v);
    return v;
  } catch (const std::exception& e) {
    return Error(::swasd::errors::kInternalError)
        .WithCause("corrupt " + r.kind + " " + r.id + ": " + e.what());
  }
}

// A query for `kind` in one account and region (the usual scope).
inline ResourceQuery QueryOf(const char* kind, const std::string& account,
                             const std::string& region) {
  ResourceQuery q;
  q.kind = kind;
  q.account_id = account;
  q.region_id = region;
  return q;
}

// Every resource `q` matches, decoded with `from`; a resource with a
// Lifecycle (`life`) is settled at `now_ms`, so its status is the effective
// one.
template <typename T, typename F>
Result<std::vector<T>> LoadAll(Tx& tx, const ResourceQuery& q, F from, int64_t now_ms) {
  SWASD_ASSIGN_OR_RETURN(auto rows, tx.ListResources(q));
  std::vector<T> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    SWASD_ASSIGN_OR_RETURN(T v, from(r));
    if constexpr (requires { v.life.Settle(now_ms); }) v.life.Settle(now_ms);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace swasd::store

#endif  // SWASD_STORE_DOCUMENT_H_
