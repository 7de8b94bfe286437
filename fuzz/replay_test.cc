// Replays every fuzz target over its seed corpus (fuzz/corpus/<target>/)
// and the inputs that once crashed it (fuzz/regressions/<target>/), then
// over a bounded, seeded batch of mutations of those inputs -- so the
// targets' invariants are checked in every build (gcc, ASan, TSan), not
// only where libFuzzer links. A failed invariant aborts with the
// FUZZ_CHECK message; the test names the target and file.
//
// SWASD_FUZZ_REPLAY_MUTATIONS (default 10000) sets the batch size per target.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "targets.h"

namespace swasd::fuzz {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> ReadDir(const fs::path& dir, std::vector<std::string>* names) {
  std::vector<std::string> out;
  if (!fs::is_directory(dir)) return out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back(ss.str());
    if (names) names->push_back(f.string());
  }
  return out;
}

void RunInput(const Target& t, const std::string& input) {
  t.fn(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

// Byte-level mutations in the spirit of libFuzzer's, plus tokens the
// parsers care about.
std::string Mutate(std::mt19937_64& rng, const std::vector<std::string>& pool) {
  static const std::vector<std::string> kTokens = {
      "%",  "%2", "%ZZ", "%00", "%C3%28", "%F0%9F%98%80", "+", "&", "=", "&&", ",",
      "[",  "]",  "\"",  "\\u0000", "\\ud800", "\x01", "\xff", "\xc3", "\xef\xbf\xbe",
      " ",  "\t", "\r\n", "ACS3-HMAC-SHA256 ", "Credential=", "SignedHeaders=",
      "Signature=", "host;x-acs-date", "{\"a\":", "null", "1e999", "<", "&amp;",
      "\"Effect\":\"Deny\"", "\"Action\":\"*\"", "\"Condition\":{", "StringLike",
      "IpAddress", "\"Statement\":[", "Signature", "Action", "Version"};
  std::string s = pool[rng() % pool.size()];
  int rounds = 1 + static_cast<int>(rng() % 4);
  for (int r = 0; r < rounds; ++r) {
    size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 7) {
      case 0:  // flip a bit
        if (!s.empty()) s[rng() % s.size()] ^= static_cast<char>(1 << (rng() % 8));
        break;
      case 1:  // random byte
        s.insert(s.begin() + static_cast<long>(pos), static_cast<char>(rng() % 256));
        break;
      case 2:  // delete a range
        if (!s.empty()) {
          size_t p = rng() % s.size();
          s.erase(p, 1 + rng() % std::min<size_t>(16, s.size() - p));
        }
        break;
      case 3:  // token
        s.insert(pos, kTokens[rng() % kTokens.size()]);
        break;
      case 4: {  // splice another input
        const std::string& o = pool[rng() % pool.size()];
        if (!o.empty()) {
          size_t from = rng() % o.size();
          s.insert(pos, o.substr(from, 1 + rng() % 64));
        }
        break;
      }
      case 5:  // duplicate a chunk
        if (!s.empty()) {
          size_t p = rng() % s.size();
          s.insert(pos, s.substr(p, 1 + rng() % 32));
        }
        break;
      default:  // overwrite a byte with an interesting one
        if (!s.empty()) {
          static const char kBytes[] = {'\0', '\x7f', '\x80', '\xff', '%', '=', '&', ',', '"', '\n'};
          s[rng() % s.size()] = kBytes[rng() % sizeof(kBytes)];
        }
    }
  }
  if (s.size() > 4096) s.resize(4096);
  return s;
}

class FuzzReplay : public ::testing::TestWithParam<Target> {};

TEST_P(FuzzReplay, CorpusAndRegressions) {
  const Target& t = GetParam();
  fs::path root = fs::path(SWASD_SOURCE_DIR) / "fuzz";
  std::vector<std::string> names;
  auto corpus = ReadDir(root / "corpus" / std::string(t.name), &names);
  auto regressions = ReadDir(root / "regressions" / std::string(t.name), &names);
  ASSERT_FALSE(corpus.empty()) << "no seed corpus in fuzz/corpus/" << t.name;
  size_t i = 0;
  for (const auto* set : {&corpus, &regressions}) {
    for (const auto& input : *set) {
      SCOPED_TRACE(names[i++]);
      RunInput(t, input);
    }
  }
  std::cout << "[ replay  ] " << t.name << ": " << corpus.size() << " corpus + "
            << regressions.size() << " regression inputs\n";
}

TEST_P(FuzzReplay, SeededMutations) {
  const Target& t = GetParam();
  fs::path root = fs::path(SWASD_SOURCE_DIR) / "fuzz";
  auto pool = ReadDir(root / "corpus" / std::string(t.name), nullptr);
  auto regs = ReadDir(root / "regressions" / std::string(t.name), nullptr);
  pool.insert(pool.end(), regs.begin(), regs.end());
  ASSERT_FALSE(pool.empty());
  long n = 10000;
  if (const char* env = std::getenv("SWASD_FUZZ_REPLAY_MUTATIONS")) n = std::atol(env);
  std::mt19937_64 rng(std::hash<std::string_view>()(t.name));
  for (long k = 0; k < n; ++k) {
    std::string input = Mutate(rng, pool);
    RunInput(t, input);
    // Grow the pool a little so mutations compound, as a fuzzer's would.
    if (pool.size() < 512 && rng() % 8 == 0) pool.push_back(std::move(input));
  }
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzReplay, ::testing::ValuesIn(Targets()),
                         [](const ::testing::TestParamInfo<Target>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace swasd::fuzz
