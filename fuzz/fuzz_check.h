// FUZZ_CHECK(cond, detail): the fuzz targets' assertion. On failure it
// prints the condition, the location and `detail` (a std::string
// expression, evaluated only then) to stderr and aborts, which libFuzzer
// reports as a crash (saving the input) and the GoogleTest replay as a
// failed test.
#ifndef SWASD_FUZZ_FUZZ_CHECK_H_
#define SWASD_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>
#include <string>

#define FUZZ_CHECK(cond, detail)                                           \
  do {                                                                     \
    if (!(cond)) {                                                         \
      std::string fuzz_detail_ = (detail);                                 \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s at %s:%d\n  %s\n", #cond, \
                   __FILE__, __LINE__, fuzz_detail_.c_str());              \
      std::fflush(stderr);                                                 \
      std::abort();                                                        \
    }                                                                      \
  } while (0)

#endif  // SWASD_FUZZ_FUZZ_CHECK_H_
