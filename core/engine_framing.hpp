// core/engine_framing.hpp: the framing of `gum engine --stdio` (SPEC §3.7, docs/dirs.md).
//
// Every message, request or reply, is a record of NUL-terminated fields:
//
//     NAME \0 COUNT \0 FIELD_1 \0 ... FIELD_COUNT \0
//
// NAME is a request verb (visit, jump, query, remove, ping, stats) or a reply status (ok, error), and
// COUNT is the decimal number of fields that follow (0..max_fields). A field is any byte string
// without NUL, so every Linux path round-trips, whatever it holds (spaces, tabs, newlines,
// bytes that are not UTF-8). NUL-terminated fields are what a shell reads and writes with
// built-ins alone: `printf '%s\0' visit 1 "$PWD"` and `read -r -d ''`.
//
// Requests and their replies:
//   visit PATH...            no reply (batched by the engine)
//   jump CWD KEYWORD...      ok 1 PATH, or ok 0 when nothing matches
//   query LIMIT KEYWORD...   ok 2N SCORE_1 PATH_1 ... SCORE_N PATH_N (LIMIT < 0: all)
//   remove PATH...           ok 1 N (N removed: all of them), or error 1 MESSAGE and none
//                            removed when one is not in the history (`gum dirs remove`)
//   ping                     ok 0
//   stats                    ok 2N NAME_1 VALUE_1 ... (the engine's counters)
// A malformed request gets `error 1 MESSAGE` and the stream goes on at the next record.
//
// Pure and thread-compatible: one parser per stream, no I/O, no globals.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace gum {

/// The verbs of a request.
enum class engine_verb { visit, jump, query, ping, stats, remove };

/// One well-formed request: its verb and its fields (the arity is already checked).
struct engine_request {
  engine_verb verb = engine_verb::ping;
  std::vector<std::string> fields;
};

/// What the parser yields: a request, or the reason a record was malformed.
struct parsed_record {
  bool ok = false;
  engine_request request;
  std::string error;  ///< when !ok: one line, for the error reply
};

/// Limits that keep a hostile stream from making the engine hold unbounded memory.
inline constexpr size_t engine_max_fields = 4096;
inline constexpr size_t engine_max_field_bytes = 1 << 20;

/// Splits a byte stream into records. Feed it what read() returned, then take records with
/// next() until it returns false. A malformed record is reported once and skipped: a bad
/// COUNT drops NAME and COUNT and resumes at the next field; an unknown NAME or a wrong arity
/// with a good COUNT drops the whole record; an over-long field drops the record so far and
/// itself up to its NUL, and parsing resumes at the next field.
class engine_request_parser {
 public:
  /// Appends bytes of the stream.
  void feed(std::string_view bytes);
  /// Takes the next complete record; false when none is complete yet.
  bool next(parsed_record& out);
  /// At end of input: true (with `out` an error) when a partial record was left unfinished.
  bool finish(parsed_record& out);

 private:
  void take_fields();
  void complete(parsed_record record);
  std::string partial_;                 // the current unterminated field
  bool skipping_long_field_ = false;    // dropping an over-long field up to its NUL
  std::vector<std::string> record_;     // terminated fields of the current record
  std::deque<parsed_record> ready_;
};

/// Encodes one record (a request or a reply). Fields must not contain NUL (they are cut at
/// the first NUL, which no path can hold).
std::string encode_engine_record(std::string_view name, const std::vector<std::string>& fields);

/// The error reply for `message` (NULs replaced by spaces).
std::string encode_engine_error(std::string_view message);

/// The name of a verb as it appears on the wire.
const char* engine_verb_name(engine_verb verb);

}  // namespace gum
