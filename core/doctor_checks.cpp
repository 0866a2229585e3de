// core/doctor_checks.cpp: printing `gum doctor`'s lines and its file-system look-ups (see the
// header). Nothing here reads the database or the network.
#include "core/doctor_checks.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "core/text.hpp"

namespace gum {

namespace {

constexpr size_t name_width = 12;

std::string flat(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return out;
}

bool is_word_end(char c) { return c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '('; }

}  // namespace

std::string format_doctor_check(const doctor_check& check) {
  const char* mark = check.result == doctor_check::state::ok       ? "\u2713"
                     : check.result == doctor_check::state::failed ? "\u2717"
                                                                   : "-";
  std::string line = std::string(mark) + " " + flat(check.name);
  if (check.name.size() < name_width) line.append(name_width - check.name.size(), ' ');
  line += " " + flat(check.detail);
  if (check.result == doctor_check::state::failed && !check.fix.empty())
    line += " (fix: " + flat(check.fix) + ")";
  return line;
}

std::vector<std::string> shell_hook_files(const std::string& home,
                                          const std::string& xdg_config_home) {
  return {home + "/.bashrc",
          home + "/.bash_profile",
          home + "/.profile",
          home + "/.zshrc",
          xdg_config_home + "/fish/config.fish",
          xdg_config_home + "/fish/conf.d/gum.fish"};
}

bool runs_gum_init(std::string_view text) {
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    // "gum init", with "gum" a whole word or the last part of a path ("/usr/bin/gum init").
    for (size_t pos = line.find("gum"); pos != std::string_view::npos;
         pos = line.find("gum", pos + 1)) {
      if (pos > 0 && !is_word_end(line[pos - 1]) && line[pos - 1] != '/' && line[pos - 1] != '$')
        continue;
      auto rest = line.substr(pos + 3);
      size_t i = 0;
      if (i < rest.size() && (rest[i] == '"' || rest[i] == '\'')) ++i;  // "$GUM" init, 'gum' init
      if (i >= rest.size() || (rest[i] != ' ' && rest[i] != '\t')) continue;
      while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
      if (rest.substr(i, 4) == "init" && (i + 4 == rest.size() || is_word_end(rest[i + 4]) ||
                                          rest[i + 4] == ')' || rest[i + 4] == ';'))
        return true;
    }
  }
  return false;
}

std::string age_phrase(int64_t seconds) {
  if (seconds < 0) return "in the future";
  if (seconds < 5) return "just now";
  if (seconds < 60) return std::to_string(seconds) + " s ago";
  if (seconds < 3600) return std::to_string(seconds / 60) + " min ago";
  if (seconds < 86400) return std::to_string(seconds / 3600) + " h ago";
  return std::to_string(seconds / 86400) + " d ago";
}

}  // namespace gum
