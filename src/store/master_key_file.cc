#include "store/master_key_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "base/crypto.h"
#include "base/encoding.h"
#include "base/errors.h"

namespace swasd::store {
namespace {

namespace fs = std::filesystem;

Error FileError(const fs::path& file, std::string_view op) {
  return Error(errors::kInternalError, "cannot " + std::string(op) +
                                           " master key file " +
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

std::optional<std::string> ParseKey(std::string_view data,
                                    KeyEncoding encoding) {
  if (data.size() == kMasterKeySize) return std::string(data);
  if (encoding != KeyEncoding::kHex) return std::nullopt;
  while (!data.empty() && std::isspace(static_cast<unsigned char>(data.front())))
    data.remove_prefix(1);
  while (!data.empty() && std::isspace(static_cast<unsigned char>(data.back())))
    data.remove_suffix(1);
  if (data.size() != 2 * kMasterKeySize) return std::nullopt;
  return HexDecode(data);
}

}  // namespace

Result<std::optional<std::string>> ReadMasterKeyFile(const fs::path& file,
                                                     KeyEncoding encoding) {
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
  if (std::optional<std::string> key = ParseKey(data, encoding)) {
    return std::optional<std::string>(std::move(*key));
  }
  return Error(errors::kInternalError,
               "master key file " + file.string() +
                   " holds no swasd master key (expected " +
                   (encoding == KeyEncoding::kHex
                        ? "32 raw bytes or 64 hex digits)"
                        : "32 bytes)"));
}

Result<std::string> CreateMasterKeyFile(const fs::path& file,
                                        KeyEncoding encoding, bool* created) {
  if (created != nullptr) *created = false;
  fs::path dir = file.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  fs::create_directories(dir, ec);
  // Write a temporary file, then link() it into place: link never replaces
  // an existing name, so of two racing creators exactly one key survives
  // and no reader ever sees a partial file.
  std::string tmp = (dir / (file.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(tmp.data());  // mode 0600
  if (fd < 0) return FileError(file, "create a temporary file for");
  const std::string key = crypto::RandomBytes(kMasterKeySize);
  const std::string content =
      encoding == KeyEncoding::kHex ? HexLower(key) + "\n" : key;
  if (!WriteAll(fd, content) || ::fsync(fd) != 0) {
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
                           ReadMasterKeyFile(file, encoding));
    if (!theirs) {
      return Error(errors::kInternalError, "master key file " + file.string() +
                                               " vanished while being created");
    }
    return std::move(*theirs);
  }
  // Make the new name durable before anything is sealed under it.
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_CLOEXEC);
  if (dfd < 0 || ::fsync(dfd) != 0) {
    Error e = FileError(file, "sync the directory of");
    if (dfd >= 0) ::close(dfd);
    return e;
  }
  ::close(dfd);
  if (created != nullptr) *created = true;
  return key;
}

}  // namespace swasd::store
