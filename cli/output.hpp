// cli/output.hpp: every output format of the CLI, in one module shared by all commands.
//
// Line formats escape tab, newline and carriage return inside a field as \t, \n, \r so one
// record is always one line. JSON is built with Boost.JSON and is always valid: bytes that are
// not valid UTF-8 become U+FFFD.
#pragma once

#include <cstddef>
#include <cstdint>
#include <boost/json/value.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/display_width.hpp"
#include "gum/messages.hpp"

namespace gum::cli {

/// How output may look where it goes: colours (only on a terminal, and never with --no-color
/// or NO_COLOR) and the terminal's width (0: not a terminal, nothing is cut). Made once per
/// run by invocation::style(); the default is plain, unlimited output (pipes, files, tests).
struct output_style {
  bool color = false;
  std::size_t width = 0;
};

/// The colours gum uses: ok marks and additions, failures and removals, changes, headers.
enum class paint_kind { good, bad, changed, heading };

/// `text` wrapped in the ANSI colour of `kind` when `style.color`, else `text` unchanged.
std::string paint(const output_style& style, paint_kind kind, std::string_view text);

/// "1 project", "2 projects": `n` and the noun that agrees with it.
std::string count_of(std::int64_t n, std::string_view one, std::string_view many);

/// The formats every list command (projects, dirs, github) accepts, in the order its errors
/// and --help name them: default, simple, json, table, fzf.
const std::vector<std::string>& list_format_names();

/// The formats of `gum integrity --format`: text, json.
const std::vector<std::string>& integrity_format_names();

/// Appends `value` as one-line JSON, with doubles in their shortest form (12.0, not 1.2E1).
void append_json(std::string& out, const boost::json::value& value);

/// Appends `text` to `out` with \t, \n, \r escaped (the allocation-free escape_line_field).
void append_line_field(std::string& out, std::string_view text);

/// Escapes \t, \n, \r (and backslash-free otherwise) so a field cannot break a line.
std::string escape_line_field(std::string_view text);

/// Writes `text` to stdout (the C stream) and flushes it.
void write_stdout(const std::string& text);

/// Replaces every invalid UTF-8 sequence with U+FFFD.
std::string sanitize_utf8(std::string_view text);

/// The formats of `gum projects --format`: default (`standard`), simple, json, table, fzf.
enum class projects_format { standard, simple, json, table, fzf };

/// Parses a `gum projects --format` value. An unknown one is a usage error (exit 2) whose
/// message names the formats.
status parse_projects_format(const std::string& text, projects_format& format);

/// Writes projects in `format`. JSON: an array of
/// {"name","path","root","kind","remote","branch","github"} with null for unknown values.
/// The table fits `style.width` (its widest column cut with "…") and has a coloured header.
void print_projects(std::ostream& out, const std::vector<project>& projects,
                    projects_format format, const output_style& style = {});

/// Appends one project as print_projects writes it in a line format (standard, simple, fzf),
/// newline included.
void append_project_line(std::string& out, const project& p, projects_format format);

/// Prints a projects list that arrives in pieces (the streamed read), byte for byte as
/// print_projects prints the whole list, in every format but table (whose column widths need
/// every row: callers print a table with print_projects). Rows are formatted into a buffer
/// that goes to stdout (the C stream) whenever it holds 64 KB, and at finish(). Not
/// thread-safe: one thread at a time (the cache's, then the caller's after the reply).
class projects_stream_printer {
 public:
  explicit projects_stream_printer(projects_format format);
  /// Formats and buffers one row; false once writing to stdout failed.
  bool add(const project& p);
  /// Writes what is buffered (and closes the JSON array); false when a write failed.
  bool finish();
  /// The rows added so far.
  int64_t count() const { return count_; }

 private:
  bool flush();
  projects_format format_;
  std::string buffer_;
  int64_t count_ = 0;
  bool ok_ = true;
};

/// The formats of `gum dirs --format`: default (`standard`), simple, json, table, fzf.
enum class dirs_format { standard, simple, json, table, fzf };

/// Parses a `gum dirs --format` value; an unknown one is a usage error (exit 2).
status parse_dirs_format(const std::string& text, dirs_format& format);

/// Writes directories in `format`. default prints the path with `~` for `home`; simple and fzf
/// print it absolute (they feed `cd` and fzf); with `verbose` each prints `SCORE<TAB>PATH`
/// (score "%6.1f"). JSON: an array of {"path" (absolute),"score","rank","last_seen" (RFC 3339)}.
/// table: `SCORE  RANK  LAST_SEEN  PATH` (path with `~`), fitted to `style` like projects'.
void print_dirs(std::ostream& out, const std::vector<dir_entry>& dirs, dirs_format format,
                const std::string& home, bool verbose, const output_style& style = {});

/// The formats of `gum github --format`: default (`standard`), simple, json, table, fzf.
enum class github_format { standard, simple, json, table, fzf };

/// Parses a `gum github --format` value; an unknown one is a usage error (exit 2).
status parse_github_format(const std::string& text, github_format& format);

/// Writes GitHub repositories in `format`. JSON: an array of
/// {"full_name","owner","name","description","language","topics","stars","forks","private",
/// "fork","archived","pushed_at","html_url","local_path"} with null for unknown values.
/// fzf: `FULL_NAME<TAB>DESCRIPTION` (fzf matches the first field with --nth 1).
void print_github(std::ostream& out, const std::vector<github_repo>& repos,
                  github_format format, const output_style& style = {});

/// The formats of `gum integrity --format`: text, json.
enum class integrity_format { text, json };

/// Parses a `gum integrity --format` value; an unknown one is a usage error (exit 2).
status parse_integrity_format(const std::string& text, integrity_format& format);

/// Writes an integrity report: `text` is one line per check and a summary line (repairs
/// first); `json` is {"ok","checks":[{"name","ok","detail","count"}],"repairs":[...]}.
/// The ✓ and ✗ marks are green and red under a colour style.
void print_integrity(std::ostream& out, const integrity_report& report, integrity_format format,
                     const output_style& style = {});

}  // namespace gum::cli
