// The libFuzzer entry point; compiled once per target with SWASD_FUZZ_FN
// naming the target's function (fuzz/CMakeLists.txt).
#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return swasd::fuzz::SWASD_FUZZ_FN(data, size);
}
