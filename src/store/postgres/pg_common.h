// Helpers shared by the PostgreSQL store's files: how a libpqxx exception
// becomes a swasd Error (and whether the unit of work may be retried), text
// that survives libpq's NUL-terminated parameters, array literals, and the
// redaction of passwords from DSNs shown to operators. Internal to
// store/postgres.
#ifndef SWASD_STORE_POSTGRES_PG_COMMON_H_
#define SWASD_STORE_POSTGRES_PG_COMMON_H_

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace swasd::store::postgres {

// What a failed statement means for the unit of work it ran in.
enum class FailureKind {
  // 40001 serialization_failure, 40P01 deadlock_detected (and the rest of
  // class 40): the transaction was rolled back and re-running it from the
  // start may succeed.
  kRetry,
  // The connection is gone (broken_connection, SQLSTATE class 08, 57P0x
  // shutdowns): nothing was committed; the connection must be dropped.
  kBroken,
  // The connection broke during COMMIT: the outcome is unknown. The
  // connection must be dropped and the work must NOT be re-run.
  kInDoubt,
  // Anything else (a constraint, a bug, a conversion): not retried.
  kOther,
};

struct Failure {
  FailureKind kind;
  Error error;  // what the caller gets if this ends the unit of work
};

// Classifies the exception `e` (thrown by libpqxx while `what` ran) on
// `conn` (may be null). Errors for kRetry/kBroken/kInDoubt are
// ServiceUnavailable, others InternalError; the PostgreSQL message goes to
// the internal cause only.
Failure Classify(const std::exception_ptr& e, std::string_view what,
                 const pqxx::connection_base* conn);

// PostgreSQL text cannot hold NUL, and libpq passes text parameters as
// C strings (a NUL would silently cut the value short). Every string is
// stored through this codec: bytes 0x00 and 0x01 become 0x01 0x01 and
// 0x01 0x02, all others stay. The mapping is injective and preserves byte
// order (so ORDER BY under COLLATE "C" matches SQLite's memcmp order), and
// strings without those two bytes -- all real ones -- are stored as is.
std::string EncodeText(std::string_view s);
std::string DecodeText(std::string_view s);

// A PostgreSQL array literal ('{"a","b"}') of EncodeText(items), for a
// `$n::text[]` parameter.
std::string TextArrayLiteral(const std::vector<std::string>& items);

// `dsn` with any password replaced by "***", fit for messages and logs.
std::string RedactDsn(std::string_view dsn);

// `dsn` with `key=value` added when the DSN does not set `key` already
// (URI or key=value form).
std::string WithDefaultParam(std::string_view dsn, std::string_view key,
                             std::string_view value);

}  // namespace swasd::store::postgres

#endif  // SWASD_STORE_POSTGRES_PG_COMMON_H_
