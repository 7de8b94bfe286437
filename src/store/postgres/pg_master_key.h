// The master key file of the PostgreSQL store (see pg_store.h): 32 bytes,
// stored raw or as 64 hex digits (surrounding whitespace ignored). Internal
// to store/postgres.
#ifndef SWASD_STORE_POSTGRES_PG_MASTER_KEY_H_
#define SWASD_STORE_POSTGRES_PG_MASTER_KEY_H_

#include <optional>
#include <string>

#include "base/error.h"

namespace swasd::store::postgres {

inline constexpr size_t kMasterKeySize = 32;

// The key in `file`, or nullopt when the file does not exist. Fails
// (InternalError naming the file) when it cannot be read or holds neither
// 32 raw bytes nor 64 hex digits.
Result<std::optional<std::string>> ReadMasterKeyFile(const std::string& file);

// Creates `file` (mode 0600, parent directories as needed) holding a fresh
// random key as 64 hex digits and a newline, durably and atomically: a
// concurrent creator either wins, and this returns its key, or loses.
// Never replaces an existing file. Sets *created when this call made it.
Result<std::string> CreateMasterKeyFile(const std::string& file,
                                        bool* created);

}  // namespace swasd::store::postgres

#endif  // SWASD_STORE_POSTGRES_PG_MASTER_KEY_H_
