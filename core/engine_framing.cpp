// core/engine_framing.cpp: see engine_framing.hpp.
#include "core/engine_framing.hpp"

#include <cstdint>

#include "core/text.hpp"

namespace gum {

namespace {

bool verb_from_name(const std::string& name, engine_verb& out) {
  static const std::pair<const char*, engine_verb> verbs[] = {
      {"visit", engine_verb::visit}, {"jump", engine_verb::jump},   {"query", engine_verb::query},
      {"ping", engine_verb::ping},   {"stats", engine_verb::stats},
      {"remove", engine_verb::remove}};
  for (const auto& [text, verb] : verbs)
    if (name == text) {
      out = verb;
      return true;
    }
  return false;
}

// Digits only: no sign, no blanks, no leading '+'.
bool parse_count(const std::string& text, size_t& out) {
  if (text.empty() || text.size() > 6) return false;
  size_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<size_t>(c - '0');
  }
  out = value;
  return true;
}

// An arity error for `verb` with `count` fields, or "" when the arity is right.
std::string arity_error(engine_verb verb, const std::vector<std::string>& fields) {
  const size_t count = fields.size();
  switch (verb) {
    case engine_verb::visit:
      if (count == 0) return "visit needs at least one path";
      for (const auto& f : fields)
        if (f.empty()) return "visit: an empty path";
      return "";
    case engine_verb::jump:
      if (count == 0) return "jump needs the current directory";
      if (fields[0].empty() || fields[0][0] != '/')
        return "jump: the current directory must be absolute";
      return "";
    case engine_verb::query: {
      if (count == 0) return "query needs a limit";
      int64_t limit = 0;
      if (!parse_int64(fields[0], limit)) return "query: the limit is not a number";
      return "";
    }
    case engine_verb::remove:
      if (count == 0) return "remove needs at least one path";
      for (const auto& f : fields)
        if (f.empty() || f[0] != '/') return "remove: every path must be absolute";
      return "";
    case engine_verb::ping:
    case engine_verb::stats:
      return count == 0 ? "" : std::string(engine_verb_name(verb)) + " takes no fields";
  }
  return "unknown verb";
}

// A field quoted in an error: short, control bytes (NUL included) shown as '?'.
std::string printable(std::string_view text) { return excerpt(text); }

}  // namespace

const char* engine_verb_name(engine_verb verb) {
  switch (verb) {
    case engine_verb::visit: return "visit";
    case engine_verb::jump: return "jump";
    case engine_verb::query: return "query";
    case engine_verb::ping: return "ping";
    case engine_verb::stats: return "stats";
    case engine_verb::remove: return "remove";
  }
  return "?";
}

void engine_request_parser::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    const size_t nul = bytes.find('\0');
    const std::string_view piece = bytes.substr(0, nul);
    if (!skipping_long_field_) {
      if (partial_.size() + piece.size() > engine_max_field_bytes) {
        partial_.clear();
        skipping_long_field_ = true;
      } else {
        partial_.append(piece);
      }
    }
    if (nul == std::string_view::npos) return;
    bytes.remove_prefix(nul + 1);
    if (skipping_long_field_) {
      // The whole record is lost: its COUNT no longer tells where the next one starts, so
      // the parser resumes at the next field as if it were a NAME.
      skipping_long_field_ = false;
      record_.clear();
      complete({false, {}, "a field longer than " + std::to_string(engine_max_field_bytes) +
                               " bytes"});
      continue;
    }
    record_.push_back(std::move(partial_));
    partial_.clear();
    take_fields();
  }
}

// Called after each terminated field: completes the record when it has all its fields.
void engine_request_parser::take_fields() {
  if (record_.size() < 2) return;
  size_t count = 0;
  if (!parse_count(record_[1], count) || count > engine_max_fields) {
    std::string why = "bad field count '" + printable(record_[1]) + "' after '" +
                      printable(record_[0]) + "'";
    record_.clear();
    complete({false, {}, why});
    return;
  }
  if (record_.size() < 2 + count) return;
  parsed_record out;
  engine_verb verb;
  if (!verb_from_name(record_[0], verb)) {
    out.error = "unknown request '" + printable(record_[0]) + "'";
  } else {
    std::vector<std::string> fields(std::make_move_iterator(record_.begin() + 2),
                                    std::make_move_iterator(record_.end()));
    out.error = arity_error(verb, fields);
    if (out.error.empty()) {
      out.ok = true;
      out.request.verb = verb;
      out.request.fields = std::move(fields);
    }
  }
  record_.clear();
  complete(std::move(out));
}

void engine_request_parser::complete(parsed_record record) { ready_.push_back(std::move(record)); }

bool engine_request_parser::next(parsed_record& out) {
  if (ready_.empty()) return false;
  out = std::move(ready_.front());
  ready_.pop_front();
  return true;
}

bool engine_request_parser::finish(parsed_record& out) {
  const bool partial = !record_.empty() || !partial_.empty() || skipping_long_field_;
  record_.clear();
  partial_.clear();
  skipping_long_field_ = false;
  if (!partial) return false;
  out = parsed_record{false, {}, "the input ended inside a request"};
  return true;
}

std::string encode_engine_record(std::string_view name, const std::vector<std::string>& fields) {
  std::string out;
  size_t size = name.size() + 8;
  for (const auto& f : fields) size += f.size() + 1;
  out.reserve(size);
  out.append(name.substr(0, name.find('\0')));
  out += '\0';
  out += std::to_string(fields.size());
  out += '\0';
  for (const auto& f : fields) {
    out.append(f, 0, f.find('\0'));
    out += '\0';
  }
  return out;
}

std::string encode_engine_error(std::string_view message) {
  std::string text(message);
  for (char& c : text)
    if (c == '\0') c = ' ';
  return encode_engine_record("error", {text});
}

}  // namespace gum
