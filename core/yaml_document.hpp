// core/yaml_document.hpp: a YAML text parsed into a small, read-only node tree (libyaml inside).
//
// Why it exists: yaml-cpp accepts a file cut short inside a quoted string, and SPEC §4 wants a
// truncated config to fail with file, line and column. libyaml is strict about the end of the
// stream and reports positions (docs/configuration.md, "Why this YAML parser"). This wrapper
// keeps libyaml's C API in one file and gives the config loader only what it walks: null,
// scalars (with their style, so a quoted "~" is a string and a plain ~ is null), sequences and
// mappings, each with its 1-based line and column. Plain C++: no CAF, no SQLite, no exceptions.
// A yaml_document is immutable once parsed and may be read from several threads.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace gum {

enum class yaml_kind { null, scalar, sequence, mapping };
enum class yaml_style { plain, single_quoted, double_quoted, literal, folded, flow, block };

class yaml_node;

/// One key/value pair of a mapping, in document order (duplicate keys are kept).
struct yaml_entry {
  const yaml_node* key;
  const yaml_node* value;
};

/// A node of the tree. An alias is the node its anchor names (the tree may share nodes).
class yaml_node {
 public:
  yaml_kind kind() const { return kind_; }
  bool is_null() const { return kind_ == yaml_kind::null; }
  bool is_scalar() const { return kind_ == yaml_kind::scalar; }
  bool is_sequence() const { return kind_ == yaml_kind::sequence; }
  bool is_mapping() const { return kind_ == yaml_kind::mapping; }
  /// Scalar: how it was written. Sequence or mapping: flow ([ ], { }) or block.
  yaml_style style() const { return style_; }
  /// A scalar's text, escapes resolved; the source text of a null ("", "~", "null").
  const std::string& text() const { return text_; }
  /// A sequence's items (empty for other kinds).
  const std::vector<const yaml_node*>& items() const { return items_; }
  /// A mapping's entries (empty for other kinds).
  const std::vector<yaml_entry>& entries() const { return entries_; }
  /// Where the node starts, 1-based.
  int line() const { return line_; }
  int column() const { return column_; }

 private:
  friend class yaml_document;
  friend struct yaml_composer;
  yaml_kind kind_ = yaml_kind::null;
  yaml_style style_ = yaml_style::plain;
  std::string text_;
  std::vector<const yaml_node*> items_;
  std::vector<yaml_entry> entries_;
  int line_ = 1;
  int column_ = 1;
};

/// Why a text is not YAML: 1-based position and a one-line message.
struct yaml_error {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  /// "FILE:LINE:COLUMN: MESSAGE".
  std::string to_string() const;
};

/// A parsed YAML stream of at most one document.
class yaml_document {
 public:
  /// Parses `text`, read from `file` (only used in the error). Fails on any syntax error,
  /// including a stream that ends inside a quoted scalar or a flow collection, an alias whose
  /// anchor is not defined before it, nesting deeper than max_depth, and a second document.
  static yaml_document parse(std::string_view text, std::string file);

  static constexpr int max_depth = 256;

  bool ok() const { return ok_; }
  /// Valid when !ok().
  const yaml_error& error() const { return error_; }
  /// The document's root: a null node for an empty stream. Valid when ok().
  const yaml_node& root() const { return *root_; }

  yaml_document(yaml_document&&) = default;
  yaml_document& operator=(yaml_document&&) = default;

 private:
  yaml_document() = default;
  std::deque<yaml_node> nodes_;  // owns every node; a deque keeps their addresses stable
  const yaml_node* root_ = nullptr;
  bool ok_ = false;
  yaml_error error_;
  friend struct yaml_composer;
};

}  // namespace gum
