// Request parameters of Alibaba's RPC protocol: the decoded (name, value)
// pairs of a query string or an application/x-www-form-urlencoded body, and
// the helpers that read Alibaba's list conventions out of them.
//
// Everything here is pure. A Params object is safe for concurrent reads;
// mutation needs external synchronization (like any standard container).
// Parsers accept arbitrary bytes: every input is bounded by ParamLimits and
// every failure is an Error value (400 InvalidParameter).
#ifndef SWASD_PROTOCOL_PARAMS_H_
#define SWASD_PROTOCOL_PARAMS_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace swasd::protocol {

// An ordered list of (name, value) pairs with unique names. Iteration is in
// insertion order (the order on the wire); lookup by name is O(log n).
class Params {
 public:
  using Pair = std::pair<std::string, std::string>;
  using const_iterator = std::vector<Pair>::const_iterator;

  Params() = default;

  // Appends (name, value). Returns 400 InvalidParameter naming the parameter
  // when `name` is already present (this object is left unchanged then).
  // Does no other validation: callers building requests may add any bytes.
  Status Add(std::string name, std::string value);

  // Returns the value of `name`, or nullptr when absent. The pointer stays
  // valid until the next mutation of this object.
  const std::string* Find(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name) != nullptr; }

  // Removes `name`. Returns false when it was absent.
  bool Remove(std::string_view name);

  size_t size() const { return pairs_.size(); }
  bool empty() const { return pairs_.empty(); }

  // Insertion order.
  const_iterator begin() const { return pairs_.begin(); }
  const_iterator end() const { return pairs_.end(); }

  // Calls f(const Pair&) for every pair in byte order of the names (the
  // order both signature schemes canonicalize in).
  template <typename F>
  void ForEachSorted(F&& f) const {
    for (size_t i : order_) f(pairs_[i]);
  }

 private:
  // Index into order_ of the first name >= `name`.
  size_t LowerBound(std::string_view name) const;

  std::vector<Pair> pairs_;
  // Indices into pairs_, sorted by name (byte order). Kept instead of a map
  // so names are stored once and sorted iteration is free; Add is O(n) in
  // index moves, which is trivial at the 1024-parameter limit.
  std::vector<size_t> order_;
};

struct ParamLimits {
  size_t max_params = 1024;        // pairs in the destination, in total
  size_t max_name_len = 256;       // bytes, after decoding
  size_t max_value_len = 1 << 20;  // bytes, after decoding
};

// Decodes `text` ("a=1&b=x%20y", a query string without the '?' or a form
// body) and appends its pairs to *out, in order.
//  - '+' decodes to a space (form semantics; the SDKs send '+' as %2B).
//  - A piece without '=' is a name with an empty value; empty pieces
//    ("a=1&&b=2", a trailing '&') are skipped.
//  - Refused with 400 InvalidParameter, the message saying why: a malformed
//    %-escape; a name or value that is not valid UTF-8; an empty name or one
//    holding control characters; a name already present in *out (ambiguous
//    input is refused rather than guessed); more than limits.max_params
//    pairs in *out, or a name/value longer than the limits.
// On failure *out holds the pairs appended before the bad piece; callers
// discard it.
Status AppendUrlEncoded(std::string_view text, Params* out,
                        const ParamLimits& limits = ParamLimits());

// Alibaba repeat lists: the values of `prefix`.1, `prefix`.2, ... in index
// order. Indices are 1-based decimal; the list ends at the first missing
// index, so "Account.1, Account.3" yields just Account.1's value (a gap is
// not an error: it is read the way the SDK, which never leaves one, writes).
std::vector<std::string> RepeatList(const Params& params,
                                    std::string_view prefix);

// Repeat lists of objects: "Tag.1.Key=a&Tag.1.Value=b&Tag.2.Key=c". Returns
// one row per index N = 1, 2, ...; row[i] is the value of
// `prefix`.N.`fields[i]`, or nullopt when absent. The list ends at the first
// N for which none of `fields` is present.
std::vector<std::vector<std::optional<std::string>>> RepeatStructList(
    const Params& params, std::string_view prefix,
    std::span<const std::string_view> fields);

// Reads a parameter documented as "JSON array" (e.g. ImageIds): accepts a
// JSON array of strings, `["m-1","m-2"]`, or a plain comma list, `m-1,m-2`
// (items trimmed of spaces). An empty or all-space value is an empty list.
// Returns 400 InvalidParameter naming `param_name` when the value is
// malformed JSON, the array holds a non-string, a comma list has an empty
// item, or there are more than `max_items` items.
Result<std::vector<std::string>> ParseJsonStringArray(
    std::string_view value, std::string_view param_name, size_t max_items);

}  // namespace swasd::protocol

#endif  // SWASD_PROTOCOL_PARAMS_H_
