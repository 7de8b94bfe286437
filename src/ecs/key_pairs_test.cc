// Key pairs: OpenSSH public key parsing and fingerprints (checked against
// `ssh-keygen -l -E md5` for keys it made), generated RSA keys, and the
// store rules (unique names, quota, wildcard lookup, account scoping).
#include "ecs/key_pairs.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "base/clock.h"
#include "base/encoding.h"
#include "ecs/errors.h"
#include "store/sqlite/test_store.h"

namespace swasd::ecs {
namespace {

constexpr char kAccount[] = "1000000000000001";
constexpr char kOther[] = "1000000000000002";
constexpr char kRegion[] = "cn-hangzhou";

// Made by ssh-keygen; the fingerprints are what `ssh-keygen -l -E md5` printed.
constexpr char kEd25519[] =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPAvMEVv75DEfO/zeJAXMtEmFnmuyndVnl6Z1QUW2MoY test@host";
constexpr char kEd25519Md5[] = "49:65:f4:0e:72:2e:1d:27:e2:60:69:98:02:d5:13:f6";
constexpr char kEcdsa[] =
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBA2mQjmb4nfeD+FkPtdGZ23"
    "epqGOE7yX+eZL3L2NxUSfjouu2wo67VsD1daaI4li5o+5e/J0SQli/m9wVLzw24Q=";
constexpr char kEcdsaMd5[] = "a6:d0:49:c8:45:b1:57:6f:1a:02:ae:82:17:c8:44:f7";
constexpr char kRsa[] =
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCn7BejH/wl/nIGWNfbMNOtZbpOn3ZLBTQ89OZ8lNK23XnS/Y9AQ21YZQ"
    "dMO1BnOgYTzdbCzl+PasSZJp8iHQDqCC2XL7E6TlQF3+VWM/mo4P4Cu1iKrx+a6P9JlkU2A7x34hnr/t5CfP24ztHGcm"
    "okfbaR8Mvq9HtZWduzb1D5Ow==";
constexpr char kRsaMd5[] = "78:c0:90:67:f8:1f:68:f7:0e:96:d0:73:4a:cb:e3:0f";

TEST(PublicKeyTest, ParsesOpenSshKeysAndFingerprintsThemAsSshKeygen) {
  for (auto [line, md5] : {std::pair{kEd25519, kEd25519Md5}, std::pair{kEcdsa, kEcdsaMd5},
                           std::pair{kRsa, kRsaMd5}}) {
    auto k = ParseOpenSshPublicKey(std::string("  ") + line + "\n");
    ASSERT_TRUE(k.ok()) << line;
    EXPECT_EQ(Fingerprint(*k), md5) << line;
    EXPECT_EQ(k->Line(), std::string(line).substr(0, k->Line().size()));
  }
}

TEST(PublicKeyTest, RefusesWhatIsNotAKey) {
  const std::string ed(kEd25519);
  const std::string blob = ed.substr(12, ed.find(' ', 12) - 12);
  for (const std::string& bad : {
           std::string(""), std::string("garbage"), std::string("ssh-ed25519"),
           std::string("ssh-ed25519 !!!notbase64"),
           // outer type differs from the inner one
           "ssh-rsa " + blob,
           // truncated key
           "ssh-ed25519 " + Base64Encode(Base64Decode(blob)->substr(0, 40)),
           // unknown type
           "ssh-dss " + blob,
           // a private key is not a public key
           std::string("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----")}) {
    EXPECT_TRUE(ParseOpenSshPublicKey(bad).error().Is(errors::kInvalidPublicKeyBodyMalformed)) << bad;
  }
  // An RSA blob whose modulus is too small to be a key.
  std::string tiny;
  auto put = [&](std::string_view s) {
    uint32_t n = static_cast<uint32_t>(s.size());
    tiny += {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
             static_cast<char>(n)};
    tiny += s;
  };
  put("ssh-rsa");
  put(std::string("\x01\x00\x01", 3));
  put(std::string("\x00\xc3", 2));
  EXPECT_TRUE(ParseOpenSshPublicKey("ssh-rsa " + Base64Encode(tiny))
                  .error().Is(errors::kInvalidPublicKeyBodyMalformed));
}

TEST(PublicKeyTest, GeneratedRsaKeyIsRealAndMatchesItsPublicKey) {
  auto gen = GenerateRsaKey(2048);
  ASSERT_TRUE(gen.ok());
  const auto& [pem, pub] = *gen;
  EXPECT_TRUE(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----")) << pem.substr(0, 40);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(EVP_PKEY_get_bits(key), 2048);
  EVP_PKEY_free(key);
  // Its OpenSSH public key parses back to the same blob.
  auto back = ParseOpenSshPublicKey(pub.Line());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->blob, pub.blob);
  EXPECT_EQ(Fingerprint(*back).size(), 47u);
}

TEST(KeyPairNameTest, Names) {
  EXPECT_TRUE(ValidKeyPairName("deploy-key_1:a"));
  EXPECT_FALSE(ValidKeyPairName("k"));
  EXPECT_FALSE(ValidKeyPairName("1key"));
  EXPECT_FALSE(ValidKeyPairName("key name"));
  EXPECT_FALSE(ValidKeyPairName("key.pem"));
  EXPECT_FALSE(ValidKeyPairName(std::string(129, 'k')));
}

class KeyPairsTest : public store::SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    AddAccounts({kAccount, kOther});
  }
  Result<KeyPair> Import(const std::string& account, const std::string& name, const char* key) {
    return Call([&](store::Tx& tx) { return pairs_.Import(tx, account, kRegion, name, key); });
  }
  Result<std::vector<KeyPair>> List(KeyPairFilter f, const std::string& account = kAccount) {
    return Call([&](store::Tx& tx) { return pairs_.List(tx, account, kRegion, f); });
  }

  OffsetClock clock_;
  KeyPairs pairs_{&clock_, KeyPairOptions{3}};
};

TEST_F(KeyPairsTest, CreateImportUniqueQuotaListDelete) {
  auto created = Call([&](store::Tx& tx) { return pairs_.Create(tx, kAccount, kRegion, "made"); });
  ASSERT_TRUE(created.ok()) << created.error().message();
  EXPECT_TRUE(created->private_key_pem.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
  EXPECT_TRUE(created->pair.public_key.starts_with("ssh-rsa "));
  auto imported = Import(kAccount, "laptop", kEd25519);
  ASSERT_TRUE(imported.ok());
  EXPECT_EQ(imported->fingerprint, kEd25519Md5);
  EXPECT_EQ(imported->public_key, std::string(kEd25519).substr(0, imported->public_key.size()));

  EXPECT_TRUE(Import(kAccount, "laptop", kRsa).error().Is(errors::kKeyPairAlreadyExist));
  EXPECT_TRUE(Call([&](store::Tx& tx) { return pairs_.Create(tx, kAccount, kRegion, "laptop"); })
                  .error().Is(errors::kKeyPairAlreadyExist));
  EXPECT_TRUE(Import(kAccount, "x", kRsa).error().Is(errors::kInvalidKeyPairNameMalformed));
  EXPECT_TRUE(Import(kAccount, "junk", "ssh-rsa AAAA").error().Is(errors::kInvalidPublicKeyBodyMalformed));
  ASSERT_TRUE(Import(kAccount, "laptop2", kRsa).ok());
  EXPECT_TRUE(Import(kAccount, "fourth", kEcdsa).error().Is(errors::kQuotaExceedKeyPair));
  ASSERT_TRUE(Import(kOther, "laptop", kEd25519).ok());  // names are per account

  KeyPairFilter f;
  f.name = "lap*";
  auto listed = List(f);
  ASSERT_EQ(listed->size(), 2u);
  f.name = "laptop";
  EXPECT_EQ(List(f)->size(), 1u);
  f.name = "*2";
  ASSERT_EQ(List(f)->size(), 1u);
  EXPECT_EQ(List(f)->front().name, "laptop2");
  f.name.reset();
  f.fingerprint = kRsaMd5;
  ASSERT_EQ(List(f)->size(), 1u);

  auto got = Call([&](store::Tx& tx) { return pairs_.Get(tx, kAccount, kRegion, "made"); });
  EXPECT_EQ(got->fingerprint, created->pair.fingerprint);
  EXPECT_TRUE(Call([&](store::Tx& tx) { return pairs_.Get(tx, kAccount, "cn-shanghai", "made"); })
                  .error().Is(errors::kInvalidKeyPairNameNotFound));
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) {
                return pairs_.Delete(tx, kAccount, kRegion, {"made", "laptop", "nope"});
              }).ok());
  EXPECT_EQ(List({})->size(), 1u);
  EXPECT_EQ(List({}, kOther)->size(), 1u);  // the other account's "laptop" stays
  EXPECT_TRUE(Call([&](store::Tx& tx) { return pairs_.Get(tx, kAccount, kRegion, "made"); })
                  .error().Is(errors::kInvalidKeyPairNameNotFound));
}

}  // namespace
}  // namespace swasd::ecs
