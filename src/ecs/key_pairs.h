// ECS SSH key pairs. CreateKeyPair makes a real RSA 2048 key with OpenSSL
// and hands its private key out once (PKCS#1 PEM, as ECS does); only the
// public key and its fingerprint are stored. ImportKeyPair takes an
// OpenSSH public key line and checks that it is one: a known type, base64
// that decodes, an inner type that matches the outer one, and a key that
// parses (RSA through OpenSSL). Names are unique per account and region.
//
// The fingerprint is what the ImportKeyPair page documents: MD5 over the
// public key in the RFC 4716 (SSH wire) form, colon-separated lower-case
// hex, i.e. what `ssh-keygen -l -E md5` prints.
//
// Thread-safety: immutable after construction.
#ifndef SWASD_ECS_KEY_PAIRS_H_
#define SWASD_ECS_KEY_PAIRS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "store/store.h"

namespace swasd::ecs {

inline constexpr char kKeyPairKind[] = "ecs.key_pair";

struct KeyPair {
  std::string id, account_id, region_id, name;
  std::string fingerprint;
  std::string public_key;  // "ssh-rsa AAAA..." (no comment)
  int64_t created_ms = 0;
};

// An OpenSSH public key: its type ("ssh-ed25519") and its wire blob.
struct PublicKey {
  std::string type;
  std::string blob;
  std::string Line() const;  // "<type> <base64 blob>"
};

// The key in an authorized_keys-style line ("type base64 [comment]"), or
// InvalidPublicKeyBody.Malformed. Accepted types: ssh-rsa, ssh-ed25519,
// ecdsa-sha2-nistp256/384/521.
Result<PublicKey> ParseOpenSshPublicKey(std::string_view line);
// MD5 of the blob, "aa:bb:...".
std::string Fingerprint(const PublicKey& key);

// KeyPairName: 2-128 characters, starting with a letter; letters, digits,
// ':', '_', '-'; not starting with http:// or https://.
bool ValidKeyPairName(std::string_view name);

struct KeyPairOptions {
  int max_per_region = 500;  // ImportKeyPair: "at most 500 key pairs in each region"
};

struct CreatedKeyPair {
  KeyPair pair;
  std::string private_key_pem;  // never stored
};

struct KeyPairFilter {
  std::optional<std::string> name;  // '*' matches any run of characters
  std::optional<std::string> fingerprint;
};

class KeyPairs {
 public:
  explicit KeyPairs(const Clock* clock, KeyPairOptions options = {})
      : clock_(clock), options_(options) {}

  Result<CreatedKeyPair> Create(store::Tx& tx, const std::string& account,
                                const std::string& region, const std::string& name) const;
  Result<KeyPair> Import(store::Tx& tx, const std::string& account, const std::string& region,
                         const std::string& name, std::string_view public_key_body) const;
  Result<std::vector<KeyPair>> List(store::Tx& tx, const std::string& account,
                                    const std::string& region,
                                    const KeyPairFilter& filter) const;
  // The key pair `name` in `region`, or InvalidKeyPairName.NotFound.
  Result<KeyPair> Get(store::Tx& tx, const std::string& account, const std::string& region,
                      const std::string& name) const;
  // Deletes those of `names` that exist; the others are ignored.
  Status Delete(store::Tx& tx, const std::string& account, const std::string& region,
                const std::vector<std::string>& names) const;

 private:
  Status CheckNew(store::Tx& tx, const std::string& account, const std::string& region,
                  const std::string& name) const;
  Result<KeyPair> Store(store::Tx& tx, const std::string& account, const std::string& region,
                        const std::string& name, const PublicKey& key) const;

  const Clock* clock_;
  KeyPairOptions options_;
};

// For tests and CreateKeyPair: a fresh RSA key of `bits` as (PKCS#1 PEM
// private key, its public key).
Result<std::pair<std::string, PublicKey>> GenerateRsaKey(int bits);

}  // namespace swasd::ecs

#endif  // SWASD_ECS_KEY_PAIRS_H_
