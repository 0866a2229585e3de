// cli/json_fields.hpp: `--json FIELD,FIELD` and `--jq EXPR` for every command that prints
// JSON (projects, dirs, github, integrity), as gh offers them.
//
// The printers in output.cpp always build the whole JSON document; a selection is applied
// afterwards to that document, so there is one JSON shape per command and `--json` cannot
// drift from `--format json`: only the named fields of each object are kept, in the order they
// were named, and `--jq` then runs on the result through libjq (cli/jq_loader.hpp). Either
// option turns the output into JSON whatever `--format` says.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "gum/messages.hpp"

namespace gum::cli {

/// What `--json` and `--jq` asked for.
struct json_selection {
  std::vector<std::string> fields;  ///< --json FIELD,FIELD (empty: every field)
  std::string jq;                   ///< --jq EXPR (empty: none)
  bool active() const { return !fields.empty() || !jq.empty(); }
};

/// Adds `--json FIELDS` (each among `valid`: an unknown one is exit 2 listing them) and
/// `--jq EXPR` to `sub`.
void add_json_options(CLI::App* sub, json_selection& selection,
                      const std::vector<std::string>& valid);

/// Writes `json` (one document as the printers make it: an array of objects, or one object)
/// with only the selected fields, then through --jq when given; the result ends in a newline.
status write_selected_json(std::ostream& out, const std::string& json,
                           const json_selection& selection);

/// The top-level fields of the JSON each command prints, for add_json_options.
const std::vector<std::string>& project_json_fields();
const std::vector<std::string>& dir_json_fields();
const std::vector<std::string>& github_json_fields();
const std::vector<std::string>& integrity_json_fields();

}  // namespace gum::cli
