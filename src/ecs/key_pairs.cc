#include "ecs/key_pairs.h"

#include <openssl/bn.h>
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "base/errors.h"
#include "base/ids.h"
#include "ecs/errors.h"
#include "store/document.h"

namespace swasd::ecs {
namespace {

using nlohmann::json;

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct CtxFree { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };
struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };
struct BldFree { void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); } };
struct ParamFree { void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); } };
struct EncFree { void operator()(OSSL_ENCODER_CTX* p) const { OSSL_ENCODER_CTX_free(p); } };
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Bn = std::unique_ptr<BIGNUM, BnFree>;

// Reads SSH wire strings (uint32 big-endian length, then bytes).
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  std::optional<std::string_view> Next() {
    if (data_.size() < 4) return std::nullopt;
    uint32_t n = (uint32_t{static_cast<uint8_t>(data_[0])} << 24) |
                 (uint32_t{static_cast<uint8_t>(data_[1])} << 16) |
                 (uint32_t{static_cast<uint8_t>(data_[2])} << 8) |
                 uint32_t{static_cast<uint8_t>(data_[3])};
    if (data_.size() - 4 < n) return std::nullopt;
    std::string_view out = data_.substr(4, n);
    data_.remove_prefix(4 + n);
    return out;
  }
  bool done() const { return data_.empty(); }

 private:
  std::string_view data_;
};

void PutString(std::string* out, std::string_view s) {
  const uint32_t n = static_cast<uint32_t>(s.size());
  out->push_back(static_cast<char>(n >> 24));
  out->push_back(static_cast<char>(n >> 16));
  out->push_back(static_cast<char>(n >> 8));
  out->push_back(static_cast<char>(n));
  out->append(s);
}

// An SSH mpint of a non-negative BIGNUM: big-endian, a leading zero byte
// when the top bit is set.
std::string Mpint(const BIGNUM* bn) {
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  if (!bytes.empty() && (static_cast<uint8_t>(bytes[0]) & 0x80)) bytes.insert(0, 1, '\0');
  return bytes;
}

// A positive mpint as a BIGNUM; nullptr when negative or empty.
Bn PositiveBn(std::string_view mpint) {
  if (mpint.empty() || (static_cast<uint8_t>(mpint[0]) & 0x80)) return nullptr;
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(mpint.data()),
                      static_cast<int>(mpint.size()), nullptr));
}

// Builds a public key of `type` ("RSA", "EC") from `params` and checks it.
bool PublicKeyChecks(const char* type, const OSSL_PARAM* params, int min_bits) {
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0) return false;
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(params)) <= 0) {
    return false;
  }
  Pkey key(raw);
  if (EVP_PKEY_get_bits(key.get()) < min_bits) return false;
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  return check && EVP_PKEY_public_check(check.get()) == 1;
}

bool ValidRsaBlob(Reader& r) {
  auto e = r.Next();
  auto n = r.Next();
  if (!e || !n || !r.done()) return false;
  Bn be = PositiveBn(*e), bn = PositiveBn(*n);
  if (!be || !bn) return false;
  std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, be.get())) {
    return false;
  }
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  // OpenSSH refuses RSA keys under 1024 bits; so does swasd.
  return params && PublicKeyChecks("RSA", params.get(), 1024);
}

bool ValidEcdsaBlob(Reader& r, std::string_view curve) {
  auto name = r.Next();
  auto point = r.Next();
  if (!name || !point || !r.done() || *name != curve) return false;
  std::string group = curve == "nistp256" ? "prime256v1"
                      : curve == "nistp384" ? "secp384r1"
                                            : "secp521r1";
  std::string q(*point);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, q.data(), q.size()),
      OSSL_PARAM_construct_end()};
  return PublicKeyChecks("EC", params, 256);
}

bool ValidEd25519Blob(Reader& r) {
  auto key = r.Next();
  if (!key || !r.done() || key->size() != 32) return false;
  Pkey pk(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                      reinterpret_cast<const unsigned char*>(key->data()),
                                      key->size()));
  return pk != nullptr;
}

bool IsLink(std::string_view s) { return s.starts_with("http://") || s.starts_with("https://"); }

// '*' in `pattern` matches any run of characters; the rest literally.
bool Glob(std::string_view pattern, std::string_view s) {
  size_t p = 0, i = 0, star = std::string_view::npos, mark = 0;
  while (i < s.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = i;
    } else if (p < pattern.size() && pattern[p] == s[i]) {
      ++p;
      ++i;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

store::Resource ToResource(const KeyPair& k) {
  store::Resource r{kKeyPairKind, k.id, k.account_id, k.region_id, k.name, "", 0,
                    k.created_ms, ""};
  r.doc = json{{"fingerprint", k.fingerprint}, {"public_key", k.public_key}}.dump();
  return r;
}

Result<KeyPair> KeyPairFrom(const store::Resource& r) {
  return store::DecodeDocument<KeyPair>(r, [](const json& j, KeyPair& k) {
    k.fingerprint = j.at("fingerprint");
    k.public_key = j.at("public_key");
  });
}

}  // namespace

std::string PublicKey::Line() const { return type + " " + Base64Encode(blob); }

Result<PublicKey> ParseOpenSshPublicKey(std::string_view line) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' ||
                          s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' ||
                          s.back() == '\r')) s.remove_suffix(1);
    return s;
  };
  line = trim(line);
  size_t sp = line.find_first_of(" \t");
  if (sp == std::string_view::npos) return errors::kInvalidPublicKeyBodyMalformed;
  PublicKey key;
  key.type = std::string(line.substr(0, sp));
  std::string_view rest = trim(line.substr(sp + 1));
  std::string_view b64 = rest.substr(0, rest.find_first_of(" \t"));
  auto blob = Base64Decode(b64);
  if (!blob) return errors::kInvalidPublicKeyBodyMalformed;
  key.blob = std::move(*blob);
  Reader r(key.blob);
  auto inner = r.Next();
  if (!inner || *inner != key.type) return errors::kInvalidPublicKeyBodyMalformed;
  bool ok = false;
  if (key.type == "ssh-rsa") {
    ok = ValidRsaBlob(r);
  } else if (key.type == "ssh-ed25519") {
    ok = ValidEd25519Blob(r);
  } else if (key.type == "ecdsa-sha2-nistp256" || key.type == "ecdsa-sha2-nistp384" ||
             key.type == "ecdsa-sha2-nistp521") {
    ok = ValidEcdsaBlob(r, std::string_view(key.type).substr(11));
  }
  if (!ok) return errors::kInvalidPublicKeyBodyMalformed;
  return key;
}

std::string Fingerprint(const PublicKey& key) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(key.blob.data(), key.blob.size(), md, &len, EVP_md5(), nullptr);
  std::string hex = HexLower(std::string_view(reinterpret_cast<const char*>(md), len));
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    if (i > 0) out.push_back(':');
    out.append(hex, i, 2);
  }
  return out;
}

bool ValidKeyPairName(std::string_view name) {
  if (name.size() < 2 || name.size() > 128 || IsLink(name)) return false;
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!letter(name[0])) return false;
  for (char c : name) {
    if (!letter(c) && !(c >= '0' && c <= '9') && c != ':' && c != '_' && c != '-') return false;
  }
  return true;
}

Result<std::pair<std::string, PublicKey>> GenerateRsaKey(int bits) {
  Pkey key(EVP_RSA_gen(static_cast<unsigned int>(bits)));
  if (!key) return Error(swasd::errors::kInternalError).WithCause("RSA key generation failed");
  // PKCS#1 ("BEGIN RSA PRIVATE KEY"), the form ECS hands out.
  std::unique_ptr<OSSL_ENCODER_CTX, EncFree> enc(OSSL_ENCODER_CTX_new_for_pkey(
      key.get(), OSSL_KEYMGMT_SELECT_KEYPAIR, "PEM", "type-specific", nullptr));
  unsigned char* data = nullptr;
  size_t len = 0;
  if (!enc || OSSL_ENCODER_to_data(enc.get(), &data, &len) != 1) {
    return Error(swasd::errors::kInternalError).WithCause("RSA key encoding failed");
  }
  std::string pem(reinterpret_cast<char*>(data), len);
  OPENSSL_free(data);
  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  if (EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
      EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
    BN_free(n);
    return Error(swasd::errors::kInternalError).WithCause("RSA key has no n/e");
  }
  Bn bn(n), be(e);
  PublicKey pub;
  pub.type = "ssh-rsa";
  PutString(&pub.blob, "ssh-rsa");
  PutString(&pub.blob, Mpint(be.get()));
  PutString(&pub.blob, Mpint(bn.get()));
  return std::make_pair(std::move(pem), std::move(pub));
}

Status KeyPairs::CheckNew(store::Tx& tx, const std::string& account, const std::string& region,
                          const std::string& name) const {
  if (!ValidKeyPairName(name)) return errors::kInvalidKeyPairNameMalformed;
  auto q = store::QueryOf(kKeyPairKind, account, region);
  SWASD_ASSIGN_OR_RETURN(int64_t have, tx.CountResources(q));
  q.names = {name};
  SWASD_ASSIGN_OR_RETURN(int64_t same, tx.CountResources(q));
  if (same > 0) return errors::kKeyPairAlreadyExist;
  if (have >= options_.max_per_region) return errors::kQuotaExceedKeyPair;
  return Status::Ok();
}

Result<KeyPair> KeyPairs::Store(store::Tx& tx, const std::string& account,
                                const std::string& region, const std::string& name,
                                const PublicKey& key) const {
  KeyPair k;
  k.id = "kp-" + ids::RandomAlnumLower(20, "ecs/kp-");
  k.account_id = account;
  k.region_id = region;
  k.name = name;
  k.fingerprint = Fingerprint(key);
  k.public_key = key.Line();
  k.created_ms = clock_->NowUnixMillis();
  SWASD_RETURN_IF_ERROR(tx.PutResource(ToResource(k)));
  return k;
}

Result<CreatedKeyPair> KeyPairs::Create(store::Tx& tx, const std::string& account,
                                        const std::string& region,
                                        const std::string& name) const {
  SWASD_RETURN_IF_ERROR(CheckNew(tx, account, region, name));
  SWASD_ASSIGN_OR_RETURN(auto generated, GenerateRsaKey(2048));
  CreatedKeyPair out;
  SWASD_ASSIGN_OR_RETURN(out.pair, Store(tx, account, region, name, generated.second));
  out.private_key_pem = std::move(generated.first);
  return out;
}

Result<KeyPair> KeyPairs::Import(store::Tx& tx, const std::string& account,
                                 const std::string& region, const std::string& name,
                                 std::string_view public_key_body) const {
  SWASD_RETURN_IF_ERROR(CheckNew(tx, account, region, name));
  SWASD_ASSIGN_OR_RETURN(PublicKey key, ParseOpenSshPublicKey(public_key_body));
  return Store(tx, account, region, name, key);
}

Result<std::vector<KeyPair>> KeyPairs::List(store::Tx& tx, const std::string& account,
                                            const std::string& region,
                                            const KeyPairFilter& filter) const {
  auto q = store::QueryOf(kKeyPairKind, account, region);
  const bool glob = filter.name && filter.name->find('*') != std::string::npos;
  if (filter.name && !glob) q.names = {*filter.name};
  SWASD_ASSIGN_OR_RETURN(auto all, store::LoadAll<KeyPair>(tx, q, KeyPairFrom, 0));
  std::erase_if(all, [&](const KeyPair& k) {
    if (glob && !Glob(*filter.name, k.name)) return true;
    return filter.fingerprint && k.fingerprint != *filter.fingerprint;
  });
  return all;
}

Result<KeyPair> KeyPairs::Get(store::Tx& tx, const std::string& account,
                              const std::string& region, const std::string& name) const {
  auto q = store::QueryOf(kKeyPairKind, account, region);
  q.names = {name};
  SWASD_ASSIGN_OR_RETURN(auto found, store::LoadAll<KeyPair>(tx, q, KeyPairFrom, 0));
  if (found.empty()) return errors::kInvalidKeyPairNameNotFound;
  return found.front();
}

Status KeyPairs::Delete(store::Tx& tx, const std::string& account, const std::string& region,
                        const std::vector<std::string>& names) const {
  if (names.empty()) return Status::Ok();
  auto q = store::QueryOf(kKeyPairKind, account, region);
  q.names = names;
  SWASD_ASSIGN_OR_RETURN(auto rows, tx.ListResources(q));
  for (const auto& r : rows) {
    SWASD_ASSIGN_OR_RETURN(bool gone, tx.DeleteResource(kKeyPairKind, account, r.id));
    (void)gone;
  }
  return Status::Ok();
}

}  // namespace swasd::ecs
