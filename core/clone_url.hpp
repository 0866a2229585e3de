// core/clone_url.hpp: what `gum clone` accepts as a repository, and where its clone goes.
//
// parse_remote_url (core/remote_url.hpp) is the strict owner/name-on-a-host parser that links
// projects to GitHub repositories; it must stay narrow. `gum clone` accepts more, as ghq does:
// any git URL (https, http, ssh, git, scp-like, file://), hosts other than GitHub (GitLab's
// nested groups: host/group/subgroup/name), and a local path. What it accepts is still checked
// before git sees it, because git itself runs whatever a URL's transport asks for: no
// `transport::address` form (ext:: runs a command), no host or user that starts with '-' (an
// ssh option), no control bytes, and only a real host name, IPv4 or bracketed IPv6 address.
// Pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gum {

/// A repository named by a git URL, split into what the clone's folder is made of.
struct clone_url {
  std::string url;                    ///< as given (trimmed): what git is handed
  std::string scheme;                 ///< https, http, ssh, git, file, or "scp" for host:path
  std::string host;                   ///< lower-case, no user or port; "localhost" for file://
  std::vector<std::string> segments;  ///< the path: owner (one or more groups), then the name
                                      ///< without .git; at least one segment
};

/// Parses a git URL `gum clone` may hand to git: scheme://[user@]host[:port]/path for https,
/// http, ssh, git, git+ssh and ssh+git; [user@]host:path (scp-like); file:///path (no host or
/// localhost). Returns nullopt for anything else: transport::address forms, hosts or users
/// that could be read as options, query strings and fragments, control bytes, "." or ".."
/// segments, and every form with no path.
std::optional<clone_url> parse_clone_url(std::string_view url);

/// True for a host name git may be pointed at: DNS labels (letters, digits, '-', '_'; no label
/// starts or ends with '-'), an IPv4 address, or a bracketed IPv6 literal. Lower-case it first.
bool is_clone_host(std::string_view host);

/// Folder names of a clone, below the clone root: owner segments and name
/// (`clone.layout: owner/name`), or the host first (`clone.layout: host/owner/name`).
std::vector<std::string> clone_folder(const clone_url& source, bool host_first);

/// The folder name a path segment may become: not empty, not "." or "..", no '/', no control
/// byte. Local paths and file:// URLs may name any folder; this is what keeps the target under
/// the clone root.
bool is_folder_name(std::string_view segment);

}  // namespace gum
