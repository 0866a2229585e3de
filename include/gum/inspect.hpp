// gum/inspect.hpp: how CAF serialises the values of the public protocol (gum serve, --remote).
//
// Every payload of engine_actor (gum/messages.hpp) gets an `inspect` overload, the hook CAF
// 0.17's serializers and deserializers call (found by argument-dependent lookup). They are
// templates on the inspector, so this header needs no CAF include and messages.hpp stays
// CAF-free; gum/engine.hpp includes it, and add_message_types registers each type under a
// stable name ("gum::project", ...), which is what a remote peer checks the interface by.
//
// Field order is the wire format: appending a field changes the protocol, and so
// gum::remote_protocol_version (gum/remote.hpp) must change with it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

#include "gum/messages.hpp"

namespace gum {

namespace detail_inspect {

/// std::optional<T> for CAF 0.17, which knows only caf::optional: a flag, then the value.
template <class T>
struct optional_field {
  std::optional<T>& ref;
};

// The value of a present optional, read into place.
template <class T>
struct optional_value {
  bool& present;
  std::optional<T>& ref;
};

template <class Inspector, class T>
typename Inspector::result_type inspect(Inspector& f, optional_value<T>& x) {
  if (!x.present) return f();
  x.ref.emplace();
  return f(*x.ref);
}

template <class Inspector, class T>
typename Inspector::result_type inspect(Inspector& f, optional_field<T>& x) {
  if constexpr (Inspector::reads_state) {
    bool present = x.ref.has_value();
    return present ? f(present, *x.ref) : f(present);
  } else {
    bool present = false;
    x.ref.reset();
    optional_value<T> value{present, x.ref};
    return f(present, value);
  }
}

template <class T>
optional_field<T> opt(std::optional<T>& x) {
  return optional_field<T>{x};
}

/// True for an inspector that writes bytes (CAF's serializers): it reads state and has
/// apply_raw. False for deserializers and for to_string's inspector.
template <class Inspector, class = void>
struct writes_bytes : std::false_type {};

template <class Inspector>
struct writes_bytes<Inspector, std::void_t<decltype(std::declval<Inspector&>().apply_raw(
                                   std::size_t{0}, static_cast<void*>(nullptr)))>>
    : std::bool_constant<Inspector::reads_state> {};

/// True for CAF's deserializers (they write state and have apply_raw).
template <class Inspector, class = void>
struct reads_bytes : std::false_type {};

template <class Inspector>
struct reads_bytes<Inspector, std::void_t<decltype(std::declval<Inspector&>().apply_raw(
                                  std::size_t{0}, static_cast<void*>(nullptr)))>>
    : std::bool_constant<Inspector::writes_state> {};

}  // namespace detail_inspect

// Each overload lists every field, in declaration order. The optional wrappers are named
// locals because CAF's inspector takes its arguments by reference.

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, github_link& x) {
  auto language = detail_inspect::opt(x.language);
  auto pushed_at = detail_inspect::opt(x.pushed_at);
  return f(x.full_name, x.stars, language, x.topics, x.archived, pushed_at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project& x) {
  auto remote_url = detail_inspect::opt(x.remote_url);
  auto branch = detail_inspect::opt(x.branch);
  auto github = detail_inspect::opt(x.github);
  return f(x.path, x.name, x.root, x.kind, remote_url, branch, github);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, project_query& x) {
  return f(x.search, x.similar, x.limit, x.with_github, x.build_if_missing);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, projects_reply& x) {
  // A list the server's reader serialised once goes out as those bytes: the same bytes the
  // serializer would write for x.projects (gum/messages.hpp), so the wire format is unchanged.
  if constexpr (detail_inspect::writes_bytes<Inspector>::value) {
    if (x.serialized_projects) {
      auto& bytes = *x.serialized_projects;
      if (auto err = f.apply_raw(bytes.size(), const_cast<char*>(bytes.data()))) return err;
      return f(x.hit, x.stale_reason);
    }
  } else if constexpr (detail_inspect::reads_bytes<Inspector>::value) {
    // The list read as CAF reads a sequence (its length, then each project), into a vector
    // reserved to that length: CAF's own fill_range grows it one insert at a time, which
    // moves 10 000 projects about fourteen times over.
    size_t count = 0;
    if (auto err = f.begin_sequence(count)) return err;
    x.projects.clear();
    x.projects.reserve(std::min<size_t>(count, size_t{1} << 16));  // a length is not trusted
    for (size_t i = 0; i < count; ++i) {
      x.projects.emplace_back();
      if (auto err = f(x.projects.back())) return err;
    }
    if (auto err = f.end_sequence()) return err;
    return f(x.hit, x.stale_reason);
  }
  return f(x.projects, x.hit, x.stale_reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, root_scan& x) {
  return f(x.path, x.exists, x.repo_count, x.scan_ms, x.unreadable);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, refresh_result& x) {
  return f(x.roots, x.projects, x.added, x.removed, x.linked, x.duration_ms,
           x.unreadable_paths);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dataset_stats& x) {
  auto age = detail_inspect::opt(x.age_seconds);
  auto ttl = detail_inspect::opt(x.ttl_seconds);
  auto duration = detail_inspect::opt(x.last_duration_ms);
  return f(x.key, x.item_count, age, ttl, duration);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cache_stats& x) {
  return f(x.table_counts, x.datasets, x.hits, x.misses);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dir_entry& x) {
  return f(x.path, x.rank, x.last_seen, x.first_seen, x.score);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dir_query& x) {
  return f(x.keywords, x.limit, x.now, x.only_existing, x.exclude_path);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, github_repo& x) {
  auto description = detail_inspect::opt(x.description);
  auto language = detail_inspect::opt(x.language);
  auto visibility = detail_inspect::opt(x.visibility);
  auto default_branch = detail_inspect::opt(x.default_branch);
  auto license = detail_inspect::opt(x.license);
  auto html_url = detail_inspect::opt(x.html_url);
  auto clone_url = detail_inspect::opt(x.clone_url);
  auto ssh_url = detail_inspect::opt(x.ssh_url);
  auto created_at = detail_inspect::opt(x.created_at);
  auto updated_at = detail_inspect::opt(x.updated_at);
  auto pushed_at = detail_inspect::opt(x.pushed_at);
  auto local_path = detail_inspect::opt(x.local_path);
  return f(x.github_id, x.full_name, x.owner, x.name, description, x.topics, x.topics_known,
           language, x.languages, x.is_private, x.fork, x.archived, x.is_template, visibility,
           default_branch, license, x.stars, x.forks, x.open_issues, x.size, html_url, clone_url,
           ssh_url, created_at, updated_at, pushed_at, local_path);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, github_query& x) {
  return f(x.search, x.language, x.topic, x.archived, x.sort, x.limit);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sync_options& x) {
  return f(x.type, x.dry_run, x.jobs, x.max_wait_seconds, x.api_url, x.token, x.debug,
           x.progress);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sync_result& x) {
  return f(x.type, x.repos_seen, x.added, x.updated, x.removed, x.pages, x.not_modified,
           x.requests, x.linked, x.total, x.changes, x.warnings);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, legacy_root& x) {
  auto last_scanned = detail_inspect::opt(x.last_scanned);
  auto repo_count = detail_inspect::opt(x.repo_count);
  return f(x.path, last_scanned, repo_count);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, legacy_import& x) {
  auto timestamp = detail_inspect::opt(x.projects_timestamp);
  auto ttl = detail_inspect::opt(x.projects_ttl);
  return f(x.roots, x.known_roots, x.projects, timestamp, ttl, x.dirs);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, legacy_import_result& x) {
  return f(x.roots_added, x.projects_added, x.projects_new_roots, x.dirs_added, x.dirs_raised);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, integrity_check& x) {
  return f(x.name, x.ok, x.detail, x.count);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, audit_options& x) {
  return f(x.quick, x.repair);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, integrity_report& x) {
  return f(x.checks, x.repairs, x.ok);
}

}  // namespace gum
