// actors/frecency.cpp: the pure parts of frecent directories (SPEC §3.2).
//
// Everything here is a plain function of its inputs (plus, for the sampler, the file system) so
// that it can be tested without SQLite or actors: dirs_store keeps the ranks, the dirs actor
// calls these to score, filter, sample and import. Nothing throws: the functions either cannot
// fail, skip what they cannot read (the /proc walk races with exiting processes), or return a
// status. Keyword matching follows zoxide so that users moving over keep their muscle memory.
#include "actors/frecency.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "gum/support.hpp"
#include "storage/text.hpp"

namespace gum {

namespace {

using storage::ascii_lower;

constexpr int64_t hour_seconds = 3600;
constexpr int64_t day_seconds = 86400;
constexpr int64_t week_seconds = 604800;

// ASCII-only lower-casing: non-ASCII bytes stay as they are, so UTF-8 is never broken apart.
bool is_all_digits(const char* name) {
  if (*name == '\0') return false;
  for (; *name != '\0'; ++name)
    if (*name < '0' || *name > '9') return false;
  return true;
}

bool is_directory(const std::string& path, struct stat& st) {
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// readlink(2) into a string; false on any error (vanished process, EACCES, not a link).
bool read_link(const std::string& link, std::string& target) {
  std::string buffer(256, '\0');
  for (;;) {
    ssize_t n = ::readlink(link.c_str(), buffer.data(), buffer.size());
    if (n < 0) return false;
    if (static_cast<size_t>(n) < buffer.size()) {
      buffer.resize(static_cast<size_t>(n));
      target = std::move(buffer);
      return true;
    }
    if (buffer.size() >= (size_t{1} << 20)) return false;
    buffer.resize(buffer.size() * 2);
  }
}

bool is_valid_command_name(const std::string& name) {
  if (name.empty()) return false;
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!letter(name[0])) return false;
  return std::all_of(name.begin() + 1, name.end(), [&](char c) {
    return letter(c) || (c >= '0' && c <= '9') || c == '-';
  });
}

// POSIX single quotes: nothing is special inside them, so ' itself is closed, escaped, reopened.
std::string posix_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  out += '\'';
  return out;
}

// fish single quotes: only \' and \\ are escapes inside them.
std::string fish_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

// The bash hook: a PROMPT_COMMAND entry that records $PWD only when it changed since the last
// prompt. The `( ... & )` subshell keeps the background job out of the shell's job table, so
// no "[1] 1234" / "Done" lines appear. $? is preserved for prompts that show it.
std::string bash_script(const std::string& cmd, const std::string& gum) {
  std::string s;
  s += "# gum: frecent directories for bash. Add this to ~/.bashrc:\n";
  s += "#   eval \"$(gum init bash --cmd " + cmd + ")\"\n";
  s += "__gum_bin=" + posix_quote(gum) + "\n";
  s += "\n";
  s += "# Records the current directory in the background when it changed since the last prompt.\n";
  s += "__gum_hook() {\n";
  s += "  \\builtin local __gum_status=$?\n";
  s += "  if [[ \"${__gum_oldpwd-}\" != \"$PWD\" ]]; then\n";
  s += "    __gum_oldpwd=$PWD\n";
  s += "    ( \"$__gum_bin\" add -- \"$PWD\" </dev/null >/dev/null 2>&1 & )\n";
  s += "  fi\n";
  s += "  \\builtin return \"$__gum_status\"\n";
  s += "}\n";
  s += "\n";
  s += "__gum_oldpwd=$PWD\n";
  s += "if [[ \"${PROMPT_COMMAND-}\" != *__gum_hook* ]]; then\n";
  s += "  PROMPT_COMMAND=\"__gum_hook${PROMPT_COMMAND:+;${PROMPT_COMMAND#;}}\"\n";
  s += "fi\n";
  s += "\n";
  s += "# " + cmd + " [KEYWORD...]: cd to the best frecent match (no arguments: home; a directory or\n";
  s += "# '-': straight there).\n";
  s += cmd + "() {\n";
  s += "  if [[ $# -eq 0 ]]; then\n";
  s += "    \\builtin cd -- \"$HOME\"\n";
  s += "  elif [[ $# -eq 1 && \"$1\" == - ]]; then\n";
  s += "    \\builtin cd -\n";
  s += "  elif [[ $# -eq 1 && -d \"$1\" ]]; then\n";
  s += "    \\builtin cd -- \"$1\"\n";
  s += "  else\n";
  s += "    \\builtin local __gum_dir\n";
  s += "    __gum_dir=\"$(\"$__gum_bin\" jump -- \"$@\")\" && \\builtin cd -- \"$__gum_dir\"\n";
  s += "  fi\n";
  s += "}\n";
  return s;
}

// The zsh hook: a chpwd function (add-zsh-hook never adds one twice); `&!` disowns the job at
// once so zsh prints nothing about it.
std::string zsh_script(const std::string& cmd, const std::string& gum) {
  std::string s;
  s += "# gum: frecent directories for zsh. Add this to ~/.zshrc:\n";
  s += "#   eval \"$(gum init zsh --cmd " + cmd + ")\"\n";
  s += "typeset -g __gum_bin=" + posix_quote(gum) + "\n";
  s += "\n";
  s += "# Records the new directory in the background after every directory change.\n";
  s += "__gum_hook() {\n";
  s += "  \"$__gum_bin\" add -- \"$PWD\" </dev/null >/dev/null 2>&1 &!\n";
  s += "}\n";
  s += "\n";
  s += "autoload -Uz add-zsh-hook\n";
  s += "add-zsh-hook chpwd __gum_hook\n";
  s += "\n";
  s += "# " + cmd + " [KEYWORD...]: cd to the best frecent match (no arguments: home; a directory or\n";
  s += "# '-': straight there).\n";
  s += "function " + cmd + "() {\n";
  s += "  if (( $# == 0 )); then\n";
  s += "    \\builtin cd -- \"$HOME\"\n";
  s += "  elif (( $# == 1 )) && [[ \"$1\" == - ]]; then\n";
  s += "    \\builtin cd -\n";
  s += "  elif (( $# == 1 )) && [[ -d \"$1\" ]]; then\n";
  s += "    \\builtin cd -- \"$1\"\n";
  s += "  else\n";
  s += "    \\builtin local __gum_dir\n";
  s += "    __gum_dir=\"$(\"$__gum_bin\" jump -- \"$@\")\" && \\builtin cd -- \"$__gum_dir\"\n";
  s += "  fi\n";
  s += "}\n";
  return s;
}

// The fish hook: a PWD variable handler; the job is disowned so fish never reports it ended.
// `cd` is fish's wrapper function (it keeps `cd -` and dirprev working) unless the user named
// the jump command `cd`, where calling it would recurse.
std::string fish_script(const std::string& cmd, const std::string& gum) {
  const std::string cd = cmd == "cd" ? "builtin cd" : "cd";
  std::string s;
  s += "# gum: frecent directories for fish. Add this to ~/.config/fish/config.fish:\n";
  s += "#   gum init fish --cmd " + cmd + " | source\n";
  s += "set -g __gum_bin " + fish_quote(gum) + "\n";
  s += "\n";
  s += "function __gum_hook --on-variable PWD --description 'gum: record the new directory'\n";
  s += "    test -z \"$fish_private_mode\"; or return\n";
  s += "    command $__gum_bin add -- $PWD </dev/null &>/dev/null &\n";
  s += "    disown $last_pid 2>/dev/null\n";
  s += "end\n";
  s += "\n";
  s += "function " + cmd + " --description 'gum: cd to the best frecent match'\n";
  s += "    set -l argc (count $argv)\n";
  s += "    if test $argc -eq 0\n";
  s += "        " + cd + " ~\n";
  s += "    else if test $argc -eq 1; and test \"$argv[1]\" = -\n";
  s += "        " + cd + " -\n";
  s += "    else if test $argc -eq 1; and test -d \"$argv[1]\"\n";
  s += "        " + cd + " $argv[1]\n";
  s += "    else\n";
  s += "        set -l __gum_dir (command $__gum_bin jump -- $argv); and " + cd + " $__gum_dir\n";
  s += "    end\n";
  s += "end\n";
  return s;
}

bool parse_double(std::string_view text, double& value) {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end;
}

bool parse_int64(std::string_view text, int64_t& value) {
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

// Shortens hostile input quoted back in a skip message.
std::string excerpt(std::string_view text) {
  constexpr size_t max_chars = 40;
  std::string out(text.substr(0, max_chars));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  if (text.size() > max_chars) out += "...";
  return out;
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

double frecency_score(double rank, int64_t last_seen, int64_t now) {
  int64_t age = now > last_seen ? now - last_seen : 0;
  if (age < hour_seconds) return rank * 4;
  if (age < day_seconds) return rank * 2;
  if (age < week_seconds) return rank * 0.5;
  return rank * 0.25;
}

bool keywords_match(std::string_view path, const std::vector<std::string>& keywords) {
  std::vector<std::string> words;
  for (const auto& k : keywords)
    if (!k.empty()) words.push_back(ascii_lower(k));
  if (words.empty()) return true;
  const std::string haystack = ascii_lower(path);

  // The last keyword: its rightmost occurrence must leave no '/' after it (as zoxide does, so
  // a last keyword holding a '/' may start in an earlier component but must end in the last).
  const std::string& last = words.back();
  size_t last_at = haystack.rfind(last);
  if (last_at == std::string::npos) return false;
  if (haystack.find('/', last_at + last.size()) != std::string::npos) return false;

  // The others, in order and without overlapping, all before that occurrence. Greedy
  // left-to-right is optimal: the earliest possible end leaves the most room for the rest.
  size_t from = 0;
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    size_t at = haystack.find(words[i], from);
    if (at == std::string::npos) return false;
    from = at + words[i].size();
  }
  return from <= last_at;
}

std::vector<std::string> sample_process_cwds(const std::string& home,
                                             const std::string& proc_root) {
  return sample_process_cwds(home, proc_root, ::getuid());
}

std::vector<std::string> sample_process_cwds(const std::string& home, const std::string& proc_root,
                                             uid_t owner) {
  std::vector<std::string> found;
  if (home.empty()) return found;
  const std::string home_norm = normalize_path(home, home, "/");
  DIR* dir = ::opendir(proc_root.c_str());
  if (dir == nullptr) return found;
  while (const dirent* entry = ::readdir(dir)) {
    if (!is_all_digits(entry->d_name)) continue;
    const std::string pid_dir = proc_root + "/" + entry->d_name;
    struct stat pid_stat {};
    if (::stat(pid_dir.c_str(), &pid_stat) != 0 || pid_stat.st_uid != owner) continue;
    const std::string cwd_link = pid_dir + "/cwd";
    std::string target;
    if (!read_link(cwd_link, target) || target.empty() || target.front() != '/') continue;
    std::string path = normalize_path(target, home_norm, "/");
    if (!path_is_under(path, home_norm)) continue;
    // A deleted cwd reads as "PATH (deleted)", or as a path that is gone or now names another
    // directory: keep the path only if it still exists and is the very directory the process
    // sits in (same device and inode).
    struct stat by_path {}, by_link {};
    if (!is_directory(path, by_path)) continue;
    if (::stat(cwd_link.c_str(), &by_link) != 0) continue;
    if (by_path.st_dev != by_link.st_dev || by_path.st_ino != by_link.st_ino) continue;
    found.push_back(std::move(path));
  }
  ::closedir(dir);
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

status shell_init_script(const std::string& shell, const std::string& cmd_name,
                         const std::string& gum_path, std::string& out) {
  if (shell != "bash" && shell != "zsh" && shell != "fish")
    return status::fail(status_code::usage,
                        "unknown shell '" + excerpt(shell) + "' (expected bash, zsh or fish)");
  if (!is_valid_command_name(cmd_name))
    return status::fail(status_code::usage, "invalid command name '" + excerpt(cmd_name) + "'",
                        "use letters, digits, '_' and '-', starting with a letter or '_'");
  if (gum_path.find('\0') != std::string::npos)
    return status::fail(status_code::usage, "the gum path contains a NUL byte");
  try {
    const std::string gum = gum_path.empty() ? std::string("gum") : gum_path;
    if (shell == "bash")
      out = bash_script(cmd_name, gum);
    else if (shell == "zsh")
      out = zsh_script(cmd_name, gum);
    else
      out = fish_script(cmd_name, gum);
  } catch (const std::exception& e) {
    return status::fail(status_code::failure, e.what());
  }
  return status::success();
}

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
      if (format == "z" && (!parse_int64(f.time, d.last_seen) || d.last_seen < 0)) {
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
