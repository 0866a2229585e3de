// core/regular_file.cpp: see regular_file.hpp.
#include "core/regular_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gum {

std::string file_read::reason(std::size_t max_bytes) const {
  switch (what) {
    case failure::none:
      return "";
    case failure::not_regular:
      return "not a regular file";
    case failure::too_large: {
      if (max_bytes % (1024 * 1024) == 0)
        return "larger than " + std::to_string(max_bytes / (1024 * 1024)) + " MiB";
      return "larger than " + std::to_string(max_bytes) + " bytes";
    }
    default:
      return std::strerror(error);
  }
}

file_read read_regular_file(const std::string& path, std::size_t max_bytes, std::string& out) {
  out.clear();
  file_read result;
  auto fail = [&](file_read::failure what, int error) {
    out.clear();
    result.what = what;
    result.error = error;
    return result;
  };
  // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    int e = errno;
    if (e == ENOENT || e == ENOTDIR) return fail(file_read::failure::missing, e);
    if (e == EACCES || e == EPERM) return fail(file_read::failure::permission, e);
    if (e == ENXIO) return fail(file_read::failure::not_regular, e);  // a socket
    return fail(file_read::failure::io, e);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    return fail(file_read::failure::io, e);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(file_read::failure::not_regular, 0);
  }
  if (static_cast<std::size_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return fail(file_read::failure::too_large, 0);
  }
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      return fail(file_read::failure::io, e);
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > max_bytes) {  // it grew while we read
      ::close(fd);
      return fail(file_read::failure::too_large, 0);
    }
  }
  ::close(fd);
  return result;
}

}  // namespace gum
