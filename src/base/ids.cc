#include "base/ids.h"

#include <atomic>
#include <functional>
#include <map>
#include <mutex>

#include "base/crypto.h"
#include "base/encoding.h"

namespace swasd::ids {
namespace {

constexpr std::string_view kLower = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kAlnum =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// The deterministic generator: a key and each stream's number of draws.
struct Streams {
  std::mutex mu;
  std::string key;  // SHA-256 of the seed
  std::map<std::string, uint64_t, std::less<>> draws;
};

Streams& TheStreams() {
  static Streams* s = new Streams;  // never destroyed: ids are drawn until exit
  return *s;
}

// Read without the lock on the hot (random) path.
std::atomic<bool> g_deterministic{false};

// One id's worth of bytes: more on request, from the CSPRNG or from one
// draw of a deterministic stream (counter mode over HMAC-SHA256: block i of
// draw n is HMAC(key, stream || 0 || n || i)).
class Source {
 public:
  // The CSPRNG, in every mode.
  Source() = default;
  // The next draw of `stream` in deterministic mode, else the CSPRNG.
  explicit Source(std::string_view stream) {
    if (!g_deterministic.load(std::memory_order_acquire)) return;
    Streams& s = TheStreams();
    std::lock_guard<std::mutex> lock(s.mu);
    auto it = s.draws.find(stream);
    if (it == s.draws.end()) it = s.draws.emplace(std::string(stream), 0).first;
    draw_ = it->second++;
    key_ = s.key;
    prefix_ = std::string(stream) + '\0' + std::to_string(draw_) + '\0';
    deterministic_ = true;
  }

  std::string Next(size_t n) {
    if (!deterministic_) return crypto::RandomBytes(n);
    std::string out;
    while (out.size() < n) {
      out += crypto::HmacSha256(key_, prefix_ + std::to_string(block_++));
    }
    out.resize(n);
    return out;
  }

  bool deterministic() const { return deterministic_; }
  // This draw's number in its stream (deterministic only).
  uint64_t draw() const { return draw_; }

 private:
  bool deterministic_ = false;
  uint64_t draw_ = 0;
  uint64_t block_ = 0;
  std::string key_, prefix_;
};

std::string FromAlphabet(size_t n, std::string_view alphabet, Source& source) {
  // Rejection sampling keeps the distribution uniform.
  std::string out;
  out.reserve(n);
  const unsigned limit = 256 - 256 % alphabet.size();
  while (out.size() < n) {
    std::string bytes = source.Next(n * 2);
    for (unsigned char c : bytes) {
      if (c >= limit) continue;
      out.push_back(alphabet[c % alphabet.size()]);
      if (out.size() == n) break;
    }
  }
  return out;
}

std::string FromAlphabet(size_t n, std::string_view alphabet, std::string_view stream) {
  Source source(stream);
  return FromAlphabet(n, alphabet, source);
}

// 16 bytes as an upper-case 8-4-4-4-12 UUID, with its version nibble set
// and the RFC 4122 variant.
std::string FormatUuid(std::string b, int version) {
  b[6] = static_cast<char>((b[6] & 0x0f) | (version << 4));
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
  std::string hex = HexLower(b);
  for (char& c : hex) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) +
         "-" + hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

}  // namespace

void UseDeterministicIds(std::string_view seed) {
  Streams& s = TheStreams();
  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.key = crypto::Sha256(seed);
    s.draws.clear();
  }
  g_deterministic.store(true, std::memory_order_release);
}

void UseRandomIds() { g_deterministic.store(false, std::memory_order_release); }

bool Deterministic() { return g_deterministic.load(std::memory_order_acquire); }

std::string NewRequestId() { return FormatUuid(Source("request").Next(16), 4); }

std::string NewTimeOrderedId(int64_t unix_ms) {
  Source source("event");
  std::string b = source.Next(16);
  const uint64_t ms = source.deterministic()
                          ? source.draw()
                          : static_cast<uint64_t>(unix_ms < 0 ? 0 : unix_ms);
  for (int i = 0; i < 6; ++i) b[i] = static_cast<char>((ms >> (8 * (5 - i))) & 0xff);
  return FormatUuid(std::move(b), 7);
}

std::string RandomAlnumLower(size_t n, std::string_view stream) {
  return FromAlphabet(n, kLower, stream);
}

std::string RandomAlnum(size_t n, std::string_view stream) {
  return FromAlphabet(n, kAlnum, stream);
}

std::string RandomDigits(size_t n, std::string_view stream) {
  if (n == 0) return {};
  // One draw for the whole id, so each id moves its stream by one.
  Source source(stream);
  return FromAlphabet(1, "123456789", source) +
         FromAlphabet(n - 1, "0123456789", source);
}

std::string RandomBytes(size_t n, std::string_view stream) {
  return Source(stream).Next(n);
}

std::string SecretAlnum(size_t n) {
  Source csprng;
  return FromAlphabet(n, kAlnum, csprng);
}

}  // namespace swasd::ids
