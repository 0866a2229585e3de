// core/regular_file.hpp: reading a whole file that gum did not write, without ever waiting.
//
// Why: a config.yaml, a legacy cache or an import file can be anything a user or an extracted
// archive left there. open() on a named pipe blocks until a writer appears, so a FIFO where a
// config.yaml should be hung every gum command. These readers open with O_NONBLOCK, check with
// fstat that the file is a regular file before reading a byte, and stop at a size bound.
#pragma once

#include <cstddef>
#include <string>

namespace gum {

/// What stopped a read_regular_file (ok when nothing did).
struct file_read {
  enum class failure { none, missing, not_regular, too_large, permission, io };
  failure what = failure::none;
  int error = 0;  ///< errno, for missing, permission and io
  bool ok() const { return what == failure::none; }
  /// A short lower-case reason: "not a regular file", "larger than 1 MiB", strerror(errno).
  std::string reason(std::size_t max_bytes) const;
};

/// Reads the regular file at `path` (at most `max_bytes`) into `out`. Never blocks on a FIFO, a
/// socket or a device: those are refused as not_regular without reading. `out` is left empty on
/// failure.
file_read read_regular_file(const std::string& path, std::size_t max_bytes, std::string& out);

}  // namespace gum
