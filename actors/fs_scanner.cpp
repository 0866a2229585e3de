// actors/fs_scanner.cpp: the scanner, the fetcher that walks the project roots.
#include "actors/fs_scanner.hpp"

#include "core/discovery_walk.hpp"

namespace gum {

scanner_actor::behavior_type scanner_behavior(scanner_actor::stateful_pointer<scanner_state> self,
                                              config cfg, std::vector<std::string> git_config_files,
                                              writer_actor writer) {
  return {
      [self, cfg, git_config_files, writer](refresh_atom) -> caf::result<refresh_result> {
        if (!writer)
          return make_error(status::fail(status_code::database, "the database is open read-only"));
        // The user's insteadOf rules, read once per refresh (a config edited since the last
        // refresh counts) and shared by every repository of the walk.
        const url_rewrites rewrites = read_url_rewrites(git_config_files);
        auto scan = scan_roots(cfg.roots, cfg.discovery, rewrites);
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


scanner_actor spawn_fs_scanner(caf::actor_system& system, config cfg,
                               std::vector<std::string> git_config_files, writer_actor writer) {
  return system.spawn<caf::detached>(scanner_behavior, std::move(cfg),
                                     std::move(git_config_files), std::move(writer));
}

}  // namespace gum
