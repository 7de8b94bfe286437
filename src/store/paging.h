// One paging vocabulary for every product: Alibaba's PageNumber/PageSize
// pages (from 1), the page of a list, and the total it was cut from.
// (RAM's Marker/MaxItems paging is its own wire protocol: iam/api.)
#ifndef SWASD_STORE_PAGING_H_
#define SWASD_STORE_PAGING_H_

#include <cstdint>
#include <utility>
#include <vector>

namespace swasd::store {

struct Page {
  int64_t number = 1;  // from 1
  int64_t size = 10;
};

template <typename T>
struct Listed {
  std::vector<T> items;  // the page
  int64_t total = 0;     // every match, on all pages
};

// The `page` of `all`; past the end it is empty, with the total kept.
template <typename T>
Listed<T> PageOf(std::vector<T> all, Page page) {
  Listed<T> out;
  out.total = static_cast<int64_t>(all.size());
  int64_t begin = (page.number - 1) * page.size;
  for (int64_t i = begin; i < out.total && i < begin + page.size; ++i) {
    out.items.push_back(std::move(all[static_cast<size_t>(i)]));
  }
  return out;
}

}  // namespace swasd::store

#endif  // SWASD_STORE_PAGING_H_
