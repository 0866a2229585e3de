// actors/fs_scanner.cpp: the scanner and the process sampler, the two local fetchers.
#include "actors/fs_scanner.hpp"

#include <algorithm>

#include "actors/discovery.hpp"
#include "actors/frecency.hpp"
#include "gum/support.hpp"

namespace gum {

namespace {

struct scanner_state {
  static inline const char* name = "gum.fs_scanner";
};

scanner_actor::behavior_type scanner_behavior(scanner_actor::stateful_pointer<scanner_state> self,
                                              config cfg, writer_actor writer) {
  return {
      [self, cfg, writer](refresh_atom) -> caf::result<refresh_result> {
        if (!writer)
          return make_error(status::fail(status_code::database, "the database is open read-only"));
        auto scan = scan_roots(cfg.roots, cfg.discovery);
        projects_replacement replacement;
        replacement.configured_roots = cfg.roots;
        replacement.roots = std::move(scan.roots);
        replacement.projects = std::move(scan.projects);
        replacement.unreadable_paths = std::move(scan.unreadable_paths);
        replacement.duration_ms = scan.duration_ms;
        replacement.ttl_seconds = cfg.cache_ttl_seconds;
        return self->delegate(writer, replace_atom::value, std::move(replacement));
      },
  };
}

struct sampler_state {
  static inline const char* name = "gum.proc_sampler";
};

sampler_actor::behavior_type sampler_behavior(sampler_actor::stateful_pointer<sampler_state> self,
                                              config cfg, std::string home, writer_actor writer) {
  return {
      [self, cfg, home, writer](sample_atom) -> caf::result<int64_t> {
        if (!writer)
          return make_error(status::fail(status_code::database, "the database is open read-only"));
        auto cwds = sample_process_cwds(home);
        std::vector<std::string> visits;
        for (auto& dir : cwds) {
          bool excluded = std::any_of(cfg.dirs_exclude.begin(), cfg.dirs_exclude.end(),
                                      [&](const std::string& ex) { return dir == ex; });
          if (!excluded) visits.push_back(dir);
        }
        return self->delegate(writer, visit_atom::value, std::move(visits));
      },
  };
}

}  // namespace

scanner_actor spawn_fs_scanner(caf::actor_system& system, config cfg, writer_actor writer) {
  return system.spawn<caf::detached>(scanner_behavior, std::move(cfg), std::move(writer));
}

sampler_actor spawn_proc_sampler(caf::actor_system& system, config cfg, std::string home,
                                 writer_actor writer) {
  return system.spawn<caf::detached>(sampler_behavior, std::move(cfg), std::move(home),
                                     std::move(writer));
}

}  // namespace gum
