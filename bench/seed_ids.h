// The ids swasd_seed gives the images it makes, so swasd_bench can address
// them without listing first. Same shape as swasd's ("m-" + 20 of [0-9a-z]).
#ifndef SWASD_BENCH_SEED_IDS_H_
#define SWASD_BENCH_SEED_IDS_H_

#include <cstdint>
#include <cstdio>
#include <string>

namespace swasd::bench {

inline std::string SeedImageId(uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "m-bench%015llu",
                static_cast<unsigned long long>(i));
  return buf;
}

}  // namespace swasd::bench

#endif  // SWASD_BENCH_SEED_IDS_H_
