// The file holding a store's master key, the 32 bytes that seal secrets at
// rest (crypto::Seal). Shared by both backends: SQLite keeps it as
// DATA_DIR/master.key in raw form (sqlite_store.h), PostgreSQL in the file
// --master-key-file names, raw or as hex (pg_store.h).
#ifndef SWASD_STORE_MASTER_KEY_FILE_H_
#define SWASD_STORE_MASTER_KEY_FILE_H_

#include <filesystem>
#include <optional>
#include <string>

#include "base/error.h"

namespace swasd::store {

inline constexpr size_t kMasterKeySize = 32;

// How a key is written to, and may be read from, its file.
enum class KeyEncoding {
  kRaw,  // exactly 32 bytes
  kHex,  // 64 hex digits and a newline; reading also accepts 32 raw bytes
         // and whitespace around the digits
};

// The key in `file`, or nullopt when the file does not exist. Fails
// (InternalError naming the file) when it cannot be read or does not hold a
// key in `encoding`.
Result<std::optional<std::string>> ReadMasterKeyFile(
    const std::filesystem::path& file, KeyEncoding encoding);

// Creates `file` (mode 0600, parent directories as needed) holding a fresh
// random key, durably and atomically: a concurrent creator (another process
// opening the same store) either wins, and this returns its key, or loses
// to this one. Never replaces an existing file. Sets *created, when given,
// to whether this call made the file.
Result<std::string> CreateMasterKeyFile(const std::filesystem::path& file,
                                        KeyEncoding encoding,
                                        bool* created = nullptr);

}  // namespace swasd::store

#endif  // SWASD_STORE_MASTER_KEY_FILE_H_
