// actors/fs_scanner.cpp: the scanner, the fetcher that walks the project roots.
#include "actors/fs_scanner.hpp"

#include "core/discovery_walk.hpp"

namespace gum {

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


scanner_actor spawn_fs_scanner(caf::actor_system& system, config cfg, writer_actor writer) {
  return system.spawn<caf::detached>(scanner_behavior, std::move(cfg), std::move(writer));
}

}  // namespace gum
