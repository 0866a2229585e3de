// cli/squeeze.hpp: squeeze(), which collapses runs of blanks: crontab lines are compared
// with it and completion descriptions are cleaned with it.
#pragma once

#include <string>

namespace gum::cli {

// Collapses runs of blanks, so that spacing differences do not hide an existing entry.
inline std::string squeeze(const std::string& s) {
  std::string out;
  bool blank = false;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

}  // namespace gum::cli
