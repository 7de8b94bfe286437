// One paging vocabulary for every product: Alibaba's PageNumber/PageSize
// pages (from 1) or NextToken/MaxResults pages (an opaque token naming where
// the next page starts), the page of a list, and the total it was cut from.
// (RAM's Marker/MaxItems paging is its own wire protocol: iam/api.)
#ifndef SWASD_STORE_PAGING_H_
#define SWASD_STORE_PAGING_H_

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace swasd::store {

struct Page {
  int64_t number = 1;  // from 1
  int64_t size = 10;
  // NextToken paging: the page starts at `offset` (from the token; 0 for
  // the first page) and is `size` long; `number` is ignored.
  bool by_token = false;
  int64_t offset = 0;
};

template <typename T>
struct Listed {
  std::vector<T> items;  // the page
  int64_t total = 0;     // every match, on all pages
  // NextToken paging: the token of the next page; empty on the last.
  std::string next_token;
};

// The token of the page that starts at `offset`. Opaque to clients; it
// holds only the offset, so a list that changes between pages shifts
// (as Alibaba's own tokens may).
inline std::string OffsetToken(int64_t offset) { return "swasd" + std::to_string(offset); }

// The offset a token from OffsetToken names; nullopt for any other string.
inline std::optional<int64_t> ParseOffsetToken(std::string_view token) {
  constexpr std::string_view kPrefix = "swasd";
  if (!token.starts_with(kPrefix) || token.size() == kPrefix.size()) return std::nullopt;
  std::string_view digits = token.substr(kPrefix.size());
  int64_t offset = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), offset);
  if (ec != std::errc() || end != digits.data() + digits.size() || offset < 0) {
    return std::nullopt;
  }
  return offset;
}

// The `page` of `all`; past the end it is empty, with the total kept.
template <typename T>
Listed<T> PageOf(std::vector<T> all, Page page) {
  Listed<T> out;
  out.total = static_cast<int64_t>(all.size());
  int64_t begin = page.by_token ? page.offset : (page.number - 1) * page.size;
  for (int64_t i = begin; i < out.total && i < begin + page.size; ++i) {
    out.items.push_back(std::move(all[static_cast<size_t>(i)]));
  }
  if (page.by_token && begin + page.size < out.total) {
    out.next_token = OffsetToken(begin + page.size);
  }
  return out;
}

}  // namespace swasd::store

#endif  // SWASD_STORE_PAGING_H_
