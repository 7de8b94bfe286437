#include "store/postgres/pg_master_key.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/crypto.h"
#include "base/errors.h"
#include "store/postgres/pg_common.h"

namespace swasd::store::postgres {
namespace {

namespace fs = std::filesystem;

Error FileError(const std::string& file, std::string_view op) {
  return Error(errors::kInternalError, "cannot " + std::string(op) +
                                           " master key file " + file + ": " +
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

Result<std::optional<std::string>> ReadMasterKeyFile(const std::string& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return FileError(file, "open");
  }
  // Enough for 64 hex digits and generous whitespace; more is not a key.
  std::string data(256, '\0');
  size_t got = 0;
  while (got < data.size()) {
    const ssize_t n = ::read(fd, data.data() + got, data.size() - got);
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
  data.resize(got);
  if (data.size() == kMasterKeySize) return std::optional<std::string>(data);
  std::string_view hex = data;
  while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.front())))
    hex.remove_prefix(1);
  while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.back())))
    hex.remove_suffix(1);
  if (hex.size() == 2 * kMasterKeySize) {
    if (std::optional<std::string> key = DecodeHex(hex)) {
      return std::optional<std::string>(std::move(*key));
    }
  }
  return Error(errors::kInternalError,
               "master key file " + file +
                   " holds no swasd master key (expected 32 raw bytes or 64 "
                   "hex digits)");
}

Result<std::string> CreateMasterKeyFile(const std::string& file,
                                        bool* created) {
  *created = false;
  const fs::path path(file);
  fs::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  fs::create_directories(dir, ec);
  // Write a temporary file, then link() it into place: link never replaces
  // an existing name, so of two racing creators exactly one key survives
  // and no reader ever sees a partial file.
  std::string tmp = (dir / (path.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(tmp.data());  // mode 0600
  if (fd < 0) return FileError(file, "create a temporary file for");
  const std::string key = crypto::RandomBytes(kMasterKeySize);
  if (!WriteAll(fd, EncodeHex(key) + "\n") || ::fsync(fd) != 0) {
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
                           ReadMasterKeyFile(file));
    if (!theirs) {
      return Error(errors::kInternalError,
                   "master key file " + file + " vanished while being created");
    }
    return std::move(*theirs);
  }
  // Make the new name durable before anything is sealed under it.
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_CLOEXEC);
  if (dfd < 0 || ::fsync(dfd) != 0) {
    Error e = FileError(dir.string(), "sync the directory of");
    if (dfd >= 0) ::close(dfd);
    return e;
  }
  ::close(dfd);
  *created = true;
  return key;
}

}  // namespace swasd::store::postgres
