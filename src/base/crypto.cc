#include "base/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <memory>

#include "base/encoding.h"

namespace swasd::crypto {
namespace {

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string Mac(const EVP_MD* md, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()), U(data), data.size(), out,
       &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

constexpr size_t kNonceLen = 12;
constexpr size_t kTagLen = 16;

}  // namespace

std::string Sha256(std::string_view data) {
  unsigned char out[32];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  return Mac(EVP_sha256(), key, data);
}

std::string HmacSha1(std::string_view key, std::string_view data) {
  return Mac(EVP_sha1(), key, data);
}

std::string Sha256Hex(std::string_view data) { return HexLower(Sha256(data)); }

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()),
                 static_cast<int>(n)) != 1) {
    std::abort();
  }
  return out;
}

std::string Seal(std::string_view key, std::string_view plaintext,
                 std::string_view associated_data) {
  std::string nonce = RandomBytes(kNonceLen);
  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
  EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key), U(nonce));
  int len = 0;
  EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(associated_data),
                    static_cast<int>(associated_data.size()));
  std::string out = nonce;
  out.resize(kNonceLen + plaintext.size() + kTagLen);
  auto* dst = reinterpret_cast<unsigned char*>(out.data()) + kNonceLen;
  EVP_EncryptUpdate(ctx.get(), dst, &len, U(plaintext),
                    static_cast<int>(plaintext.size()));
  int fin = 0;
  EVP_EncryptFinal_ex(ctx.get(), dst + len, &fin);
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagLen,
                      dst + plaintext.size());
  return out;
}

std::optional<std::string> Open(std::string_view key, std::string_view box,
                                std::string_view associated_data) {
  if (key.size() != 32 || box.size() < kNonceLen + kTagLen) return std::nullopt;
  std::string_view nonce = box.substr(0, kNonceLen);
  std::string_view body = box.substr(kNonceLen, box.size() - kNonceLen - kTagLen);
  std::string tag(box.substr(box.size() - kTagLen));
  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
  EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key), U(nonce));
  int len = 0;
  EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(associated_data),
                    static_cast<int>(associated_data.size()));
  std::string out(body.size(), '\0');
  EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()),
                    &len, U(body), static_cast<int>(body.size()));
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagLen, tag.data());
  int fin = 0;
  if (EVP_DecryptFinal_ex(ctx.get(),
                          reinterpret_cast<unsigned char*>(out.data()) + len,
                          &fin) != 1) {
    return std::nullopt;
  }
  return out;
}

}  // namespace swasd::crypto
