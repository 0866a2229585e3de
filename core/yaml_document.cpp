// core/yaml_document.cpp: builds a yaml_document from libyaml's event stream.
//
// libyaml's parser reports events (scalar, sequence start/end, ...) and stops at the first
// error with its position; this file composes the events into nodes and resolves aliases.
// Composition is iterative with an explicit stack, and nodes live in one deque, so neither deep
// input nor destruction recurses. yaml-cpp's wording is kept for the two messages users see
// most (an unclosed [ or {), so messages did not change when gum moved from yaml-cpp.
#include "core/yaml_document.hpp"

#include <yaml.h>

#include <cstring>
#include <map>
#include <utility>

namespace gum {

std::string yaml_error::to_string() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

namespace {

// 1-based line and column of byte `offset` (libyaml gives only an offset for encoding errors).
std::pair<int, int> position_of(std::string_view text, size_t offset) {
  int line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::string at(const yaml_mark_t& mark) {
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

bool has(const char* s, const char* part) {
  return s != nullptr && std::strstr(s, part) != nullptr;
}

// A one-line message for a libyaml error.
std::string describe(const yaml_parser_t& p) {
  if (p.error == YAML_MEMORY_ERROR) return "out of memory";
  const char* problem = p.problem ? p.problem : "invalid YAML";
  if (has(p.context, "quoted scalar") && has(problem, "end of stream"))
    return "the file ends inside a quoted string opened at " + at(p.context_mark);
  if (has(p.context, "flow sequence")) return "end of sequence flow not found";
  if (has(p.context, "flow mapping")) return "end of map flow not found";
  std::string message = problem;
  if (p.context != nullptr) message += std::string(" ") + p.context + " at " + at(p.context_mark);
  return message;
}

bool is_null_text(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

}  // namespace

// Turns events into nodes; one per parse.
struct yaml_composer {
  struct frame {
    yaml_node* node;
    std::string anchor;                      // registered when the collection ends
    const yaml_node* pending_key = nullptr;  // a mapping's key waiting for its value
  };

  yaml_document& doc;
  std::vector<frame> stack;
  std::map<std::string, const yaml_node*> anchors;
  int documents = 0;

  bool fail(int line, int column, std::string message) {
    doc.ok_ = false;
    doc.error_.line = line;
    doc.error_.column = column;
    doc.error_.message = std::move(message);
    return false;
  }
  bool fail(const yaml_mark_t& mark, std::string message) {
    return fail(static_cast<int>(mark.line) + 1, static_cast<int>(mark.column) + 1,
                std::move(message));
  }

  yaml_node* make(yaml_kind kind, const yaml_mark_t& mark) {
    doc.nodes_.emplace_back();
    yaml_node* n = &doc.nodes_.back();
    n->kind_ = kind;
    n->line_ = static_cast<int>(mark.line) + 1;
    n->column_ = static_cast<int>(mark.column) + 1;
    return n;
  }

  void attach(const yaml_node* n) {
    if (stack.empty()) {
      doc.root_ = n;
      return;
    }
    frame& top = stack.back();
    if (top.node->kind_ == yaml_kind::sequence) {
      top.node->items_.push_back(n);
    } else if (top.pending_key == nullptr) {
      top.pending_key = n;
    } else {
      top.node->entries_.push_back({top.pending_key, n});
      top.pending_key = nullptr;
    }
  }

  static std::string anchor_of(const yaml_char_t* anchor) {
    return anchor ? std::string(reinterpret_cast<const char*>(anchor)) : std::string();
  }

  // Handles one event; false (with the document's error set) to stop.
  bool on(const yaml_event_t& e) {
    switch (e.type) {
      case YAML_DOCUMENT_START_EVENT:
        if (++documents > 1)
          return fail(e.start_mark, "a second YAML document starts here; expected only one");
        return true;
      case YAML_SCALAR_EVENT: {
        const auto& s = e.data.scalar;
        std::string value(reinterpret_cast<const char*>(s.value), s.length);
        const char* tag = reinterpret_cast<const char*>(s.tag);
        bool null = tag ? std::strcmp(tag, "tag:yaml.org,2002:null") == 0
                        : s.style == YAML_PLAIN_SCALAR_STYLE && is_null_text(value);
        yaml_node* n = make(null ? yaml_kind::null : yaml_kind::scalar, e.start_mark);
        switch (s.style) {
          case YAML_SINGLE_QUOTED_SCALAR_STYLE:
            n->style_ = yaml_style::single_quoted;
            break;
          case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
            n->style_ = yaml_style::double_quoted;
            break;
          case YAML_LITERAL_SCALAR_STYLE:
            n->style_ = yaml_style::literal;
            break;
          case YAML_FOLDED_SCALAR_STYLE:
            n->style_ = yaml_style::folded;
            break;
          default:
            n->style_ = yaml_style::plain;
        }
        n->text_ = std::move(value);
        if (s.anchor) anchors[anchor_of(s.anchor)] = n;
        attach(n);
        return true;
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        if (stack.size() >= static_cast<size_t>(yaml_document::max_depth))
          return fail(e.start_mark, "nesting deeper than " +
                                        std::to_string(yaml_document::max_depth) + " levels");
        bool seq = e.type == YAML_SEQUENCE_START_EVENT;
        yaml_node* n = make(seq ? yaml_kind::sequence : yaml_kind::mapping, e.start_mark);
        bool flow = seq ? e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                        : e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
        n->style_ = flow ? yaml_style::flow : yaml_style::block;
        attach(n);
        stack.push_back(
            {n, anchor_of(seq ? e.data.sequence_start.anchor : e.data.mapping_start.anchor)});
        return true;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        if (!stack.back().anchor.empty()) anchors[stack.back().anchor] = stack.back().node;
        stack.pop_back();
        return true;
      case YAML_ALIAS_EVENT: {
        auto it = anchors.find(anchor_of(e.data.alias.anchor));
        if (it == anchors.end()) return fail(e.start_mark, "the referenced anchor is not defined");
        attach(it->second);
        return true;
      }
      default:
        return true;
    }
  }
};

yaml_document yaml_document::parse(std::string_view text, std::string file) {
  yaml_document doc;
  doc.error_.file = std::move(file);
  doc.ok_ = true;
  yaml_composer composer{doc, {}, {}, 0};
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    composer.fail(1, 1, "out of memory");
    return doc;
  }
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  while (true) {
    yaml_event_t event;
    if (!yaml_parser_parse(&parser, &event)) {
      if (parser.error == YAML_READER_ERROR) {
        auto [line, column] = position_of(text, parser.problem_offset);
        composer.fail(line, column, describe(parser));
      } else {
        composer.fail(parser.problem_mark, describe(parser));
        // Cut short inside [ or { (after a comma, say): name the collection that is not closed.
        const yaml_node* open = composer.stack.empty() ? nullptr : composer.stack.back().node;
        if (open != nullptr && open->style_ == yaml_style::flow &&
            parser.problem_mark.index >= text.size() && parser.context != nullptr &&
            std::strstr(parser.context, "quoted scalar") == nullptr)
          doc.error_.message = open->kind_ == yaml_kind::sequence ? "end of sequence flow not found"
                                                                  : "end of map flow not found";
      }
      break;
    }
    bool end = event.type == YAML_STREAM_END_EVENT;
    bool go_on = composer.on(event);
    yaml_event_delete(&event);
    if (end || !go_on) break;
  }
  yaml_parser_delete(&parser);
  if (doc.ok_ && doc.root_ == nullptr) {
    doc.nodes_.emplace_back();  // an empty stream is one null node
    doc.root_ = &doc.nodes_.back();
  }
  return doc;
}

}  // namespace gum
