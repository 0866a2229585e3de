// core/remote_url.hpp: Git remote URLs and API URLs as owner/name on a host.
//
// The one parser storage links projects to GitHub repositories with and `gum clone` resolves
// its argument with. Pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gum {

/// owner/name on a host, parsed from a Git remote URL.
struct remote_ref {
  std::string host;   ///< lower-case, e.g. github.com
  std::string owner;  ///< as written
  std::string name;   ///< without .git
};

/// Parses https://host/o/r(.git), http://, git@host:o/r(.git), ssh://[user@]host[:port]/o/r(.git)
/// and git://host/o/r. Exactly two path segments; the host loses user and port. Returns nullopt
/// for anything else (local paths, file://, hostile input included).
std::optional<remote_ref> parse_remote_url(std::string_view url);

/// Whether `host` is a host name (letters, digits, '-' and '_' in dot-separated labels of at
/// most 63 bytes, none starting or ending with '-'), an IPv4 address or a bracketed IPv6
/// literal. Nothing else may become part of a git URL: a "host" such as -oProxyCommand=… would
/// be read by ssh as an option.
bool valid_host_name(std::string_view host);

/// The host of an API base URL as a Git host (empty when the URL's host is not a valid host
/// name, see valid_host_name): https://api.github.com -> github.com,
/// https://HOST/api/v3 -> HOST, https://api.SUB.ghe.com -> SUB.ghe.com (GHE.com data
/// residency). Lower-case and without a port (http://127.0.0.1:8080 -> 127.0.0.1), like
/// remote_ref::host, so the two compare directly. Linking uses it only as the fallback host of
/// a repository whose listing carried no URL.
std::string git_host_for_api(std::string_view api_url);

/// The web base URL of an API base URL, what `gum clone owner/name` builds its URL on when the
/// repository was never synced: the host of git_host_for_api with the API URL's scheme and port
/// kept (http://127.0.0.1:8080 -> http://127.0.0.1:8080, https://api.github.com ->
/// https://github.com). Empty when the URL names no host.
std::string web_base_for_api(std::string_view api_url);

}  // namespace gum
