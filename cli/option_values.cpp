// cli/option_values.cpp: see option_values.hpp.
#include "cli/option_values.hpp"

#include <algorithm>

namespace gum::cli {

namespace {

// The validator's name: accepted_values() finds the list by it.
constexpr const char* validator_name = "gum-values";

}  // namespace

std::string or_list(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += i + 1 == values.size() ? " or " : ", ";
    out += values[i];
  }
  return out;
}

CLI::Option* accept_only(CLI::Option* option, const std::string& noun,
                         const std::vector<std::string>& values) {
  std::string description = "{";
  for (std::size_t i = 0; i < values.size(); ++i) description += (i ? "," : "") + values[i];
  description += "}";
  CLI::Validator check(
      [noun, values](std::string& value) -> std::string {
        if (std::find(values.begin(), values.end(), value) != values.end()) return {};
        return "unknown " + noun + " '" + value + "' (expected " + or_list(values) + ")";
      },
      description, validator_name);
  return option->check(check);
}

std::vector<std::string> accepted_values(const CLI::Option& option) {
  // get_validator is not const in CLI11 2.1, and throws when there is no such validator.
  auto& mutable_option = const_cast<CLI::Option&>(option);
  std::string description;
  try {
    description = mutable_option.get_validator(validator_name)->get_description();
  } catch (const CLI::OptionNotFound&) {
    return {};
  }
  std::vector<std::string> values;
  if (description.size() < 2) return values;
  std::string inner = description.substr(1, description.size() - 2);
  std::size_t start = 0;
  while (start <= inner.size()) {
    std::size_t comma = inner.find(',', start);
    if (comma == std::string::npos) comma = inner.size();
    if (comma > start) values.push_back(inner.substr(start, comma - start));
    start = comma + 1;
  }
  return values;
}

}  // namespace gum::cli
