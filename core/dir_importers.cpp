// core/dir_importers.cpp: reading other tools' directory databases (z, autojump, zoxide).
//
// `gum import` parses the whole file here before anything is written, so a malformed file
// changes nothing; lines that cannot be read are skipped and described, never fatal.
#include "core/dir_importers.hpp"

#include <charconv>
#include <cmath>
#include <exception>
#include <unordered_map>

#include "core/paths.hpp"
#include "core/text.hpp"

namespace gum {

namespace {

bool parse_double(std::string_view text, double& value) {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end;
}

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// One line split into its fields, or the reason it cannot be.
struct import_fields {
  std::string_view path, rank, time;
  std::string error;
};

import_fields split_z(std::string_view line) {
  // path|rank|time, split from the right so a '|' inside the path survives.
  import_fields f;
  auto last = line.rfind('|');
  auto middle = last == std::string_view::npos || last == 0 ? std::string_view::npos
                                                            : line.rfind('|', last - 1);
  if (middle == std::string_view::npos) {
    f.error = "expected path|rank|time";
    return f;
  }
  f.path = line.substr(0, middle);
  f.rank = trim_blanks(line.substr(middle + 1, last - middle - 1));
  f.time = trim_blanks(line.substr(last + 1));
  return f;
}

import_fields split_autojump(std::string_view line) {
  import_fields f;
  auto tab = line.find('\t');
  if (tab == std::string_view::npos) {
    f.error = "expected weight<TAB>path";
    return f;
  }
  f.rank = trim_blanks(line.substr(0, tab));
  f.path = line.substr(tab + 1);
  return f;
}

import_fields split_zoxide(std::string_view line) {
  // "  SCORE PATH": the score is right-aligned, then one space, then the path to end of line.
  import_fields f;
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  auto space = line.find(' ');
  if (space == std::string_view::npos) {
    f.error = "expected SCORE PATH";
    return f;
  }
  f.rank = line.substr(0, space);
  f.path = line.substr(space + 1);
  return f;
}

}  // namespace

status parse_dir_import(const std::string& format, std::string_view text,
                        std::vector<imported_dir>& out, std::vector<std::string>& skipped) {
  import_fields (*split)(std::string_view);
  if (format == "z")
    split = split_z;
  else if (format == "autojump")
    split = split_autojump;
  else if (format == "zoxide")
    split = split_zoxide;
  else
    return status::fail(status_code::usage, "unknown import format '" + excerpt(format) +
                                                "' (expected zoxide, z or autojump)");
  try {
    std::unordered_map<std::string, size_t> index;  // path -> position in `out`, this file only
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 byte-order mark
    size_t line_no = 0;
    while (!text.empty()) {
      ++line_no;
      size_t newline = text.find('\n');
      std::string_view line = text.substr(0, newline);
      text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (trim_blanks(line).empty()) continue;

      const std::string where = "line " + std::to_string(line_no) + ": ";
      import_fields f = split(line);
      if (!f.error.empty()) {
        skipped.push_back(where + f.error);
        continue;
      }
      if (f.path.empty() || f.path.front() != '/') {
        skipped.push_back(where + "not an absolute path");
        continue;
      }
      if (f.path.find('\0') != std::string_view::npos) {
        skipped.push_back(where + "the path contains a NUL byte");
        continue;
      }
      imported_dir d;
      if (!parse_double(f.rank, d.rank) || !std::isfinite(d.rank) || d.rank <= 0) {
        skipped.push_back(where + "bad rank '" + excerpt(f.rank) + "'");
        continue;
      }
      // z writes plain digits: a sign other than '-' was never accepted.
      if (format == "z" && (f.time.substr(0, 1) == "+" || !parse_int64(f.time, d.last_seen) ||
                             d.last_seen < 0)) {
        skipped.push_back(where + "bad time '" + excerpt(f.time) + "'");
        continue;
      }
      d.path = normalize_path(f.path, "", "/");
      auto [it, inserted] = index.emplace(d.path, out.size());
      if (inserted) {
        out.push_back(std::move(d));
      } else {
        imported_dir& known = out[it->second];
        known.rank += d.rank;
        known.last_seen = std::max(known.last_seen, d.last_seen);
      }
    }
  } catch (const std::exception& e) {
    return status::fail(status_code::failure, std::string("import failed: ") + e.what());
  }
  return status::success();
}

}  // namespace gum
