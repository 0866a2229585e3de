// cli/json_fields.cpp: see json_fields.hpp.
#include "cli/json_fields.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "cli/jq_loader.hpp"
#include "cli/option_values.hpp"
#include "cli/output.hpp"

namespace gum::cli {

namespace {

// The object with only `fields`, in their order; a field the object lacks is null.
boost::json::object selected(const boost::json::object& object,
                             const std::vector<std::string>& fields) {
  boost::json::object out;
  for (const auto& f : fields) {
    auto it = object.find(f);
    out[f] = it == object.end() ? boost::json::value(nullptr) : it->value();
  }
  return out;
}

}  // namespace

void add_json_options(CLI::App* sub, json_selection& selection,
                      const std::vector<std::string>& valid) {
  sub->add_option("--json", selection.fields,
                  "Print JSON with only these fields (comma-separated): " + or_list(valid))
      ->delimiter(',')
      ->type_name("FIELDS")
      ->check(CLI::Validator(
          [valid](std::string& field) -> std::string {
            if (std::find(valid.begin(), valid.end(), field) != valid.end()) return {};
            return "unknown JSON field '" + field + "' (expected " + or_list(valid) + ")";
          },
          "", "gum-json-fields"));
  sub->add_option("--jq", selection.jq, "Filter the JSON through a jq program (as gh --jq)")
      ->type_name("EXPR")
      ->check(CLI::Validator(
          [](std::string& expression) -> std::string {
            status st = check_jq(expression);
            return st.ok() ? std::string() : st.message;  // "--jq: ..."
          },
          "", "gum-jq"));
}

status write_selected_json(std::ostream& out, const std::string& json,
                           const json_selection& selection) {
  std::string text;
  if (selection.fields.empty()) {
    text = json;
  } else {
    boost::system::error_code ec;
    boost::json::value doc = boost::json::parse(json, ec);
    if (ec) return status::fail(status_code::failure, "cannot select JSON fields: " + ec.message());
    if (doc.is_array()) {
      for (auto& element : doc.get_array())
        if (element.is_object()) element = selected(element.get_object(), selection.fields);
    } else if (doc.is_object()) {
      doc = selected(doc.get_object(), selection.fields);
    }
    append_json(text, doc);
    text += '\n';
  }
  if (!selection.jq.empty()) {
    std::string filtered;
    if (auto st = run_jq(selection.jq, text, filtered); !st.ok()) return st;
    text = std::move(filtered);
  }
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.flush();
  if (!out) return status::fail(status_code::failure, "cannot write the JSON to stdout");
  return status::success();
}

const std::vector<std::string>& project_json_fields() {
  static const std::vector<std::string> f = {"name",   "path",   "root",  "kind",
                                             "remote", "branch", "github"};
  return f;
}

const std::vector<std::string>& dir_json_fields() {
  static const std::vector<std::string> f = {"path", "score", "rank", "last_seen"};
  return f;
}

const std::vector<std::string>& github_json_fields() {
  static const std::vector<std::string> f = {
      "full_name", "owner",    "name",     "description", "language", "topics",   "stars",
      "forks",     "private",  "fork",     "archived",    "pushed_at", "html_url", "local_path"};
  return f;
}

const std::vector<std::string>& integrity_json_fields() {
  static const std::vector<std::string> f = {"ok", "checks", "repairs"};
  return f;
}

}  // namespace gum::cli
