// net/github_pages.hpp: GitHub REST reply bodies parsed into gum's value types (SPEC §3.3).
//
// Pure functions over a body already received: no libcurl, no I/O, thread-safe. Every failure
// is status_code::network with "malformed reply ..."; nothing throws.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "gum/messages.hpp"

namespace gum {

/// Parses one page of /user/repos. Fails (status_code::network, "malformed reply ...") unless
/// the body is a JSON array of repository objects with at least id and full_name.
status parse_repo_page(std::string_view body, std::vector<github_repo>& out);

/// Parses /repos/{o}/{r}/languages (an object of name -> bytes).
status parse_languages(std::string_view body, std::map<std::string, int64_t>& out);

/// Parses /repos/{o}/{r}/topics ({"names": [...]}).
status parse_topics(std::string_view body, std::vector<std::string>& out);

/// The "message" of a GitHub error body on one line, or empty when there is none.
std::string github_error_message(const std::string& body);

}  // namespace gum
