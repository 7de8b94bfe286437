// The master key that seals AccessKey secrets at rest: 32 random bytes in
// DATA_DIR/master.key (mode 0600). Internal to store/sqlite; see
// sqlite_store.h for the scheme.
#ifndef SWASD_STORE_SQLITE_MASTER_KEY_H_
#define SWASD_STORE_SQLITE_MASTER_KEY_H_

#include <filesystem>
#include <optional>
#include <string>

#include "base/error.h"

namespace swasd::store::sqlite {

inline constexpr size_t kMasterKeySize = 32;

// Returns the key stored in `file`, or nullopt when the file does not exist.
// Fails (InternalError naming the file) when it cannot be read or does not
// hold exactly kMasterKeySize bytes.
Result<std::optional<std::string>> ReadMasterKey(
    const std::filesystem::path& file);

// Creates `file` with a fresh random key, durably and atomically: a
// concurrent creator (another process opening the same data dir) either
// wins, and this returns its key, or loses to this one. Never replaces an
// existing file.
Result<std::string> CreateMasterKey(const std::filesystem::path& file);

}  // namespace swasd::store::sqlite

#endif  // SWASD_STORE_SQLITE_MASTER_KEY_H_
