#include "store/sqlite/master_key.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/crypto.h"
#include "base/errors.h"

namespace swasd::store::sqlite {
namespace {

Error FileError(const std::filesystem::path& file, std::string_view op) {
  return Error(errors::kInternalError, "cannot " + std::string(op) + " " +
                                           file.string() + ": " +
                                           std::strerror(errno));
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

Result<std::optional<std::string>> ReadMasterKey(
    const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return FileError(file, "open");
  }
  // One byte more than a key, to tell a long file from a key.
  std::string key(kMasterKeySize + 1, '\0');
  size_t got = 0;
  while (got < key.size()) {
    const ssize_t n = ::read(fd, key.data() + got, key.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error e = FileError(file, "read");
      ::close(fd);
      return e;
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  if (got != kMasterKeySize) {
    return Error(errors::kInternalError,
                 file.string() + " is not a swasd master key (expected " +
                     std::to_string(kMasterKeySize) + " bytes)");
  }
  key.resize(kMasterKeySize);
  return std::optional<std::string>(std::move(key));
}

Result<std::string> CreateMasterKey(const std::filesystem::path& file) {
  // Write a temporary file, then link() it into place: link never replaces
  // an existing name, so of two racing creators exactly one key survives
  // and no reader ever sees a partial file.
  std::string tmp = file.string() + ".XXXXXX";
  const int fd = ::mkstemp(tmp.data());  // mode 0600
  if (fd < 0) return FileError(file.parent_path(), "create a file in");
  const std::string key = crypto::RandomBytes(kMasterKeySize);
  if (!WriteAll(fd, key) || ::fsync(fd) != 0) {
    Error e = FileError(tmp, "write");
    ::close(fd);
    ::unlink(tmp.c_str());
    return e;
  }
  ::close(fd);
  const int rc = ::link(tmp.c_str(), file.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (rc != 0) {
    errno = link_errno;
    if (errno != EEXIST) return FileError(file, "create");
    SWASD_ASSIGN_OR_RETURN(std::optional<std::string> theirs,
                           ReadMasterKey(file));
    if (!theirs) {
      return Error(errors::kInternalError,
                   file.string() + " vanished while being created");
    }
    return std::move(*theirs);
  }
  // Make the new name durable before any secret is sealed under it.
  const int dir = ::open(file.parent_path().c_str(), O_RDONLY | O_CLOEXEC);
  if (dir < 0 || ::fsync(dir) != 0) {
    Error e = FileError(file.parent_path(), "sync");
    if (dir >= 0) ::close(dir);
    return e;
  }
  ::close(dir);
  return key;
}

}  // namespace swasd::store::sqlite
