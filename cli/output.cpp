// cli/output.cpp: every output format of the CLI (projects, dirs, github, integrity).
//
// Two families of formats live here, and each has one rule that makes it safe for scripts:
//  - Line formats (default, simple, fzf, table, text) print one record per line. Every field
//    goes through escape_line_field, so a tab, newline or carriage return inside a name can
//    never split a record or shift an fzf/table column. All other bytes pass through verbatim.
//  - JSON is built as a Boost.JSON value and serialized on one line. Boost.JSON does not check
//    that strings are UTF-8, so every string goes through sanitize_utf8 first; the output is
//    then always valid JSON. Doubles (scores, ranks) are written in their shortest round-trip
//    form with a fraction (12.0, 0.25), not in Boost.JSON's own notation (1.2E1), so a typed
//    consumer always sees a decimal number. Non-finite doubles are null.
//
// Tables align on display width (terminal columns, core/display_width.hpp: a CJK character
// takes two), two spaces between columns, `-` for null values, and the last column is not
// padded so lines carry no trailing blanks. On a terminal (output_style::width) a table that
// would be wider than the terminal has its widest column cut, each cut cell ending in "…";
// through a pipe nothing is ever cut. Colour (output_style::color) is only ever added around
// text that is already padded, so it never shifts a column. An empty list prints nothing in every line format (no lone header) and `[]` in JSON.
// Formats are enums, parsed once from the command line by parse_*_format (an unknown name is
// exit 2 there), so no printer ever sees a format it does not know.
//
// Nothing throws out of this file: a failure while building output (out of memory) marks the
// stream bad, which the command reports like any other write error.
#include "cli/output.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <utility>

#include "core/clock.hpp"
#include "core/paths.hpp"

namespace gum::cli {

namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

// A table column: its header and whether its cells are right-aligned (numbers).
struct table_column {
  std::string header;
  bool right_aligned = false;
};

// The widths of the columns once the table fits `limit` columns (0: no limit): the widest
// column is narrowed first, never below its header or 8 columns; then the next widest.
std::vector<std::size_t> fitted_widths(std::vector<std::size_t> widths,
                                       const std::vector<table_column>& columns,
                                       std::size_t limit) {
  if (limit == 0 || widths.empty()) return widths;
  std::size_t total = 2 * (widths.size() - 1);
  for (auto w : widths) total += w;
  std::vector<bool> done(widths.size(), false);
  while (total > limit) {
    std::size_t widest = widths.size();
    for (std::size_t c = 0; c < widths.size(); ++c)
      if (!done[c] && (widest == widths.size() || widths[c] > widths[widest])) widest = c;
    if (widest == widths.size()) break;  // nothing narrows further: the table stays wider
    done[widest] = true;
    const std::size_t floor = std::max<std::size_t>(display_width(columns[widest].header), 8);
    if (widths[widest] <= floor) continue;
    const std::size_t cut = std::min(total - limit, widths[widest] - floor);
    widths[widest] -= cut;
    total -= cut;
  }
  return widths;
}

// Writes `rows` under `columns`, aligned by display width and fitted to `style`; nothing at all
// when `rows` is empty. Cells must already be escaped.
void write_table(std::ostream& out, const std::vector<table_column>& columns,
                 const std::vector<std::vector<std::string>>& rows,
                 const output_style& style = {}) {
  if (rows.empty()) return;
  std::vector<std::size_t> widths(columns.size(), 0);
  for (std::size_t c = 0; c < columns.size(); ++c) widths[c] = display_width(columns[c].header);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < columns.size() && c < row.size(); ++c)
      widths[c] = std::max(widths[c], display_width(row[c]));
  const std::vector<std::size_t> natural = widths;
  widths = fitted_widths(std::move(widths), columns, style.width);

  auto write_row = [&](auto cell_at, bool header) {
    std::string line;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const std::string& raw = cell_at(c);
      const std::string cut = widths[c] < natural[c] ? truncate_to_width(raw, widths[c]) : raw;
      const std::size_t w = display_width(cut);
      const std::size_t pad = widths[c] > w ? widths[c] - w : 0;
      const bool last = c + 1 == columns.size();
      const std::string shown = header ? paint(style, paint_kind::heading, cut) : cut;
      if (c > 0) line += "  ";
      if (columns[c].right_aligned) {
        line.append(pad, ' ');
        line += shown;
      } else {
        line += shown;
        if (!last) line.append(pad, ' ');
      }
    }
    line += '\n';
    out << line;
  };
  write_row([&](std::size_t c) -> const std::string& { return columns[c].header; }, true);
  const std::string empty;
  for (const auto& row : rows)
    write_row([&](std::size_t c) -> const std::string& { return c < row.size() ? row[c] : empty; },
              false);
}

// An escaped table cell, `-` for null.
std::string cell(const std::optional<std::string>& value) {
  return value ? escape_line_field(*value) : std::string("-");
}

// A JSON string holding `text` made valid UTF-8.
boost::json::value json_string(std::string_view text) {
  const std::string clean = sanitize_utf8(text);
  return boost::json::string(boost::json::string_view(clean.data(), clean.size()));
}

// A JSON string, or null.
boost::json::value json_optional(const std::optional<std::string>& value) {
  if (!value) return nullptr;
  return json_string(*value);
}

// A JSON array of strings.
boost::json::value json_strings(const std::vector<std::string>& values) {
  boost::json::array array;
  array.reserve(values.size());
  for (const auto& v : values) array.push_back(json_string(v));
  return array;
}

// A JSON double, or null when it is NaN or infinite (which JSON cannot express).
boost::json::value json_double(double value) {
  if (!std::isfinite(value)) return nullptr;
  return value;
}

}  // namespace

void append_json(std::string& out, const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (auto& v : value.get_array()) {
        if (!first) out += ',';
        first = false;
        append_json(out, v);
      }
      out += ']';
      return;
    }
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (auto& kv : value.get_object()) {
        if (!first) out += ',';
        first = false;
        out += boost::json::serialize(boost::json::string_view(kv.key()));
        out += ':';
        append_json(out, kv.value());
      }
      out += '}';
      return;
    }
    case boost::json::kind::double_: {
      // Shortest round-trip form, always with a fraction so the type reads as a number with
      // decimals: 12 -> 12.0, 0.25 -> 0.25 (Boost.JSON would print 1.2E1 and 2.5E-1).
      char buf[64];
      auto res = std::to_chars(buf, buf + sizeof buf, value.get_double());
      std::string text(buf, res.ptr);
      if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
      out += text;
      return;
    }
    default:
      out += boost::json::serialize(value);
  }
}

namespace {

// Serializes `value` on one line, ending with a newline.
void write_json(std::ostream& out, const boost::json::value& value) {
  std::string text;
  append_json(text, value);
  text += '\n';
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

// Runs `body`; an exception (only std::bad_alloc can happen) marks `out` bad instead.
template <class Body>
void guarded(std::ostream& out, Body&& body) noexcept {
  try {
    body();
  } catch (...) {
    try {
      out.setstate(std::ios::badbit);
    } catch (...) {
      // The stream asked for exceptions; it is already marked bad, which is all we promise.
    }
  }
}

boost::json::value project_json(const project& p) {
  boost::json::object o;
  o["name"] = json_string(p.name);
  o["path"] = json_string(p.path);
  o["root"] = json_string(p.root);
  o["kind"] = json_string(p.kind);
  o["remote"] = json_optional(p.remote_url);
  o["branch"] = json_optional(p.branch);
  if (p.github) {
    const github_link& g = *p.github;
    boost::json::object link;
    link["full_name"] = json_string(g.full_name);
    link["stars"] = g.stars;
    link["language"] = json_optional(g.language);
    link["topics"] = json_strings(g.topics);
    link["archived"] = g.archived;
    link["pushed_at"] = json_optional(g.pushed_at);
    o["github"] = std::move(link);
  } else {
    o["github"] = nullptr;
  }
  return o;
}

boost::json::value github_json(const github_repo& r) {
  boost::json::object o;
  o["full_name"] = json_string(r.full_name);
  o["owner"] = json_string(r.owner);
  o["name"] = json_string(r.name);
  o["description"] = json_optional(r.description);
  o["language"] = json_optional(r.language);
  o["topics"] = json_strings(r.topics);
  o["stars"] = r.stars;
  o["forks"] = r.forks;
  o["private"] = r.is_private;
  o["fork"] = r.fork;
  o["archived"] = r.archived;
  o["pushed_at"] = json_optional(r.pushed_at);
  o["html_url"] = json_optional(r.html_url);
  o["local_path"] = json_optional(r.local_path);
  return o;
}

// The date part of an ISO 8601 timestamp ("2024-03-01T10:00:00Z" -> "2024-03-01"), for tables.
std::string date_part(const std::string& timestamp) {
  if (timestamp.size() >= 10 && timestamp[4] == '-' && timestamp[7] == '-')
    return timestamp.substr(0, 10);
  return timestamp;
}

// Sets `value` to the format called `text` in `names`; false when none is.
template <class Format, std::size_t N>
bool parse_name(const std::string& text, const std::pair<const char*, Format> (&names)[N],
                Format& value) {
  for (const auto& [name, format] : names) {
    if (text == name) {
      value = format;
      return true;
    }
  }
  return false;
}

}  // namespace

void append_line_field(std::string& out, std::string_view text) {
  // Most fields hold no tab, newline or carriage return at all: a test without an early exit,
  // which the compiler vectorises, finds that at a fraction of a cycle per byte, and the field
  // is copied whole (`gum projects` prints 10 000 of them on every call).
  unsigned char special = 0;
  for (char c : text) special |= (c == '\t') | (c == '\n') | (c == '\r');
  if (!special) {
    out.append(text.data(), text.size());
    return;
  }
  // Copy clean runs whole. (A hand loop: string_view::find_first_of calls memchr once per
  // character.)
  size_t run = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '\t' && c != '\n' && c != '\r') continue;
    out.append(text.data() + run, i - run);
    out += c == '\t' ? "\\t" : c == '\n' ? "\\n" : "\\r";
    run = i + 1;
  }
  out.append(text.data() + run, text.size() - run);
}

void write_stdout(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

std::string escape_line_field(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_line_field(out, text);
  return out;
}

// Decodes per Unicode Table 3-7 (well-formed byte sequences) and replaces each maximal subpart
// of an ill-formed sequence with one U+FFFD, the practice the WHATWG encoding standard requires:
// a truncated sequence is one U+FFFD, and decoding resumes at the byte that broke it.
std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      out += static_cast<char>(lead);
      ++i;
      continue;
    }
    int trail = 0;
    unsigned char first_lo = 0x80, first_hi = 0xBF;  // the range of the first trail byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      trail = 1;
    } else if (lead == 0xE0) {
      trail = 2, first_lo = 0xA0;  // no overlongs
    } else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
      trail = 2;
    } else if (lead == 0xED) {
      trail = 2, first_hi = 0x9F;  // no surrogates
    } else if (lead == 0xF0) {
      trail = 3, first_lo = 0x90;  // no overlongs
    } else if (lead >= 0xF1 && lead <= 0xF3) {
      trail = 3;
    } else if (lead == 0xF4) {
      trail = 3, first_hi = 0x8F;  // nothing above U+10FFFF
    } else {
      out += replacement_character;  // 80..C1 and F5..FF never start a sequence
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    int got = 0;
    for (; got < trail && j < n; ++got, ++j) {
      const auto b = static_cast<unsigned char>(text[j]);
      const unsigned char lo = got == 0 ? first_lo : 0x80;
      const unsigned char hi = got == 0 ? first_hi : 0xBF;
      if (b < lo || b > hi) break;
    }
    if (got == trail)
      out.append(text.substr(i, j - i));
    else
      out += replacement_character;
    i = j;
  }
  return out;
}

std::string paint(const output_style& style, paint_kind kind, std::string_view text) {
  if (!style.color || text.empty()) return std::string(text);
  const char* code = kind == paint_kind::good      ? "\x1b[32m"
                     : kind == paint_kind::bad     ? "\x1b[31m"
                     : kind == paint_kind::changed ? "\x1b[33m"
                                                   : "\x1b[1m";
  std::string out = code;
  out += text;
  out += "\x1b[0m";
  return out;
}

std::string count_of(std::int64_t n, std::string_view one, std::string_view many) {
  std::string out = std::to_string(n);
  out += ' ';
  out += n == 1 ? one : many;
  return out;
}

const std::vector<std::string>& list_format_names() {
  static const std::vector<std::string> names = {"default", "simple", "json", "table", "fzf"};
  return names;
}

const std::vector<std::string>& integrity_format_names() {
  static const std::vector<std::string> names = {"text", "json"};
  return names;
}

// ---- projects ----------------------------------------------------------------------------

status parse_projects_format(const std::string& text, projects_format& format) {
  static const std::pair<const char*, projects_format> names[] = {
      {"default", projects_format::standard}, {"simple", projects_format::simple},
      {"json", projects_format::json},        {"table", projects_format::table},
      {"fzf", projects_format::fzf}};
  if (parse_name(text, names, format)) return status::success();
  return status::fail(status_code::usage, "unknown format '" + text +
                                              "' (expected default, simple, json, table or fzf)");
}

void print_projects(std::ostream& out, const std::vector<project>& projects,
                    projects_format format, const output_style& style) {
  guarded(out, [&] {
    if (format == projects_format::json) {
      boost::json::array array;
      array.reserve(projects.size());
      for (const auto& p : projects) array.push_back(project_json(p));
      write_json(out, array);
    } else if (format == projects_format::table) {
      std::vector<std::vector<std::string>> rows;
      rows.reserve(projects.size());
      for (const auto& p : projects)
        rows.push_back({escape_line_field(p.name), cell(p.branch), cell(p.remote_url),
                        escape_line_field(p.path)});
      write_table(out, {{"NAME"}, {"BRANCH"}, {"REMOTE"}, {"PATH"}}, rows, style);
    } else {
      // One buffer, one write: `gum projects` prints 10 000 lines on every call.
      std::string text;
      text.reserve(projects.size() * 96);
      for (const auto& p : projects) append_project_line(text, p, format);
      out.write(text.data(), static_cast<std::streamsize>(text.size()));
    }
  });
}

void append_project_line(std::string& text, const project& p, projects_format format) {
  append_line_field(text, p.path);
  if (format == projects_format::simple) {
    // the path alone
  } else if (format == projects_format::fzf) {
    text += '\t';
    if (p.remote_url) {
      append_line_field(text, *p.remote_url);
    } else if (p.branch) {
      text += '[';
      append_line_field(text, *p.branch);
      text += ']';
    }
  } else if (p.remote_url) {
    text += " (";
    append_line_field(text, *p.remote_url);
    text += ')';
  } else if (p.branch) {
    text += " [";
    append_line_field(text, *p.branch);
    text += ']';
  }
  text += '\n';
}

projects_stream_printer::projects_stream_printer(projects_format format) : format_(format) {
  buffer_.reserve(80 * 1024);
  if (format_ == projects_format::json) buffer_ += '[';
}

bool projects_stream_printer::add(const project& p) {
  if (!ok_) return false;
  try {
    if (format_ == projects_format::json) {
      if (count_ > 0) buffer_ += ',';
      append_json(buffer_, project_json(p));
    } else {
      append_project_line(buffer_, p, format_);
    }
  } catch (...) {  // std::bad_alloc only
    ok_ = false;
    return false;
  }
  ++count_;
  return buffer_.size() < 64 * 1024 || flush();
}

bool projects_stream_printer::flush() {
  if (ok_ && !buffer_.empty())
    ok_ = std::fwrite(buffer_.data(), 1, buffer_.size(), stdout) == buffer_.size();
  buffer_.clear();
  return ok_;
}

bool projects_stream_printer::finish() {
  if (format_ == projects_format::json) buffer_ += "]\n";
  flush();
  if (std::fflush(stdout) != 0) ok_ = false;
  return ok_;
}

// ---- dirs --------------------------------------------------------------------------------

status parse_dirs_format(const std::string& text, dirs_format& format) {
  static const std::pair<const char*, dirs_format> names[] = {
      {"default", dirs_format::standard}, {"simple", dirs_format::simple},
      {"json", dirs_format::json},        {"table", dirs_format::table},
      {"fzf", dirs_format::fzf}};
  if (parse_name(text, names, format)) return status::success();
  return status::fail(status_code::usage, "unknown format '" + text +
                                              "' (expected default, simple, json, table or fzf)");
}

// default shows `~` for $HOME, for people; simple, fzf and json are for programs and print the
// absolute path, so that `cd "$(gum dirs -f simple | head -1)"` works (a shell never expands a
// `~` that comes out of a substitution). `verbose` prefixes the score like `zoxide query -ls`,
// but with a tab so fzf and cut can split it.
void print_dirs(std::ostream& out, const std::vector<dir_entry>& dirs, dirs_format format,
                const std::string& home, bool verbose, const output_style& style) {
  guarded(out, [&] {
    if (format == dirs_format::json) {
      boost::json::array array;
      array.reserve(dirs.size());
      for (const auto& d : dirs) {
        boost::json::object o;
        o["path"] = json_string(d.path);
        o["score"] = json_double(d.score);
        o["rank"] = json_double(d.rank);
        o["last_seen"] = json_string(rfc3339_utc(d.last_seen));
        array.push_back(std::move(o));
      }
      write_json(out, array);
      return;
    }
    if (format == dirs_format::table) {
      std::vector<std::vector<std::string>> rows;
      rows.reserve(dirs.size());
      char number[64];
      for (const auto& d : dirs) {
        std::vector<std::string> row;
        std::snprintf(number, sizeof number, "%.1f", d.score);
        row.push_back(number);
        std::snprintf(number, sizeof number, "%.1f", d.rank);
        row.push_back(number);
        row.push_back(rfc3339_utc(d.last_seen));
        row.push_back(escape_line_field(tilde_path(d.path, home)));
        rows.push_back(std::move(row));
      }
      write_table(out, {{"SCORE", true}, {"RANK", true}, {"LAST_SEEN"}, {"PATH"}}, rows, style);
      return;
    }
    std::string line;
    for (const auto& d : dirs) {
      line.clear();
      if (verbose) {
        char score[64];
        std::snprintf(score, sizeof score, "%6.1f\t", d.score);
        line = score;
      }
      line += escape_line_field(format == dirs_format::standard ? tilde_path(d.path, home)
                                                                : d.path);
      line += '\n';
      out << line;
    }
  });
}

// ---- github ------------------------------------------------------------------------------

status parse_github_format(const std::string& text, github_format& format) {
  static const std::pair<const char*, github_format> names[] = {
      {"default", github_format::standard}, {"simple", github_format::simple},
      {"json", github_format::json},        {"table", github_format::table},
      {"fzf", github_format::fzf}};
  if (parse_name(text, names, format)) return status::success();
  return status::fail(status_code::usage, "unknown format '" + text +
                                              "' (expected default, simple, json, table or fzf)");
}

// default: `owner/name  ★STARS  LANGUAGE  [archived]  -> LOCAL_PATH`, where the language, the
// archived mark and the local path appear only when known/true. Fields are separated by two
// spaces, like the table, so the line stays readable without alignment. The local path is
// absolute (this function has no $HOME; projects print absolute too).
void print_github(std::ostream& out, const std::vector<github_repo>& repos,
                  github_format format, const output_style& style) {
  guarded(out, [&] {
    if (format == github_format::json) {
      boost::json::array array;
      array.reserve(repos.size());
      for (const auto& r : repos) array.push_back(github_json(r));
      write_json(out, array);
    } else if (format == github_format::table) {
      std::vector<std::vector<std::string>> rows;
      rows.reserve(repos.size());
      for (const auto& r : repos) {
        std::optional<std::string> pushed;
        if (r.pushed_at) pushed = date_part(*r.pushed_at);
        rows.push_back({escape_line_field(r.full_name), std::to_string(r.stars), cell(r.language),
                        cell(pushed), cell(r.local_path)});
      }
      write_table(out, {{"FULL_NAME"}, {"STARS", true}, {"LANGUAGE"}, {"PUSHED"}, {"LOCAL_PATH"}},
                  rows, style);
    } else if (format == github_format::fzf) {
      std::string line;
      for (const auto& r : repos) {
        line = escape_line_field(r.full_name);
        line += '\t';
        if (r.description) line += escape_line_field(*r.description);
        line += '\n';
        out << line;
      }
    } else {
      std::string line;
      for (const auto& r : repos) {
        line = escape_line_field(r.full_name);
        if (format != github_format::simple) {
          line += "  \xE2\x98\x85" + std::to_string(r.stars);  // ★
          if (r.language) line += "  " + escape_line_field(*r.language);
          if (r.archived) line += "  [archived]";
          if (r.local_path) line += "  -> " + escape_line_field(*r.local_path);
        }
        line += '\n';
        out << line;
      }
    }
  });
}

// ---- integrity ---------------------------------------------------------------------------

status parse_integrity_format(const std::string& text, integrity_format& format) {
  static const std::pair<const char*, integrity_format> names[] = {
      {"text", integrity_format::text}, {"json", integrity_format::json}};
  if (parse_name(text, names, format)) return status::success();
  return status::fail(status_code::usage, "unknown format '" + text + "' (expected text or json)");
}

// The report is ok only when it says so and no check failed, so the summary, the JSON "ok" and
// the exit code (decided by the command from report.ok) cannot disagree with the check lines.
void print_integrity(std::ostream& out, const integrity_report& report, integrity_format format,
                     const output_style& style) {
  guarded(out, [&] {
    std::size_t failed = 0;
    for (const auto& c : report.checks)
      if (!c.ok) ++failed;
    const bool ok = report.ok && failed == 0;

    if (format == integrity_format::json) {
      boost::json::object o;
      o["ok"] = ok;
      boost::json::array checks;
      for (const auto& c : report.checks) {
        boost::json::object check;
        check["name"] = json_string(c.name);
        check["ok"] = c.ok;
        check["detail"] = json_string(c.detail);
        check["count"] = c.count;
        checks.push_back(std::move(check));
      }
      o["checks"] = std::move(checks);
      o["repairs"] = json_strings(report.repairs);
      write_json(out, o);
      return;
    }

    for (const auto& r : report.repairs) out << "repaired: " << escape_line_field(r) << '\n';
    for (const auto& c : report.checks) {
      std::string line = c.ok ? paint(style, paint_kind::good, "\xE2\x9C\x93")    // ✓
                              : paint(style, paint_kind::bad, "\xE2\x9C\x97");    // ✗
      line += ' ';
      line += escape_line_field(c.name);
      if (!c.detail.empty()) line += "  " + escape_line_field(c.detail);
      if (!c.ok && c.count > 0) line += " (" + std::to_string(c.count) + ")";
      line += '\n';
      out << line;
    }
    if (ok)
      out << "integrity: " << paint(style, paint_kind::good, "ok") << " ("
          << count_of(static_cast<std::int64_t>(report.checks.size()), "check", "checks") << ")\n";
    else
      out << "integrity: " << paint(style, paint_kind::bad, "FAILED") << " (" << failed << " of "
          << count_of(static_cast<std::int64_t>(report.checks.size()), "check", "checks") << ")\n";
  });
}

}  // namespace gum::cli
