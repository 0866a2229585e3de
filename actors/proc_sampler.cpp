// actors/proc_sampler.cpp: the process sampler, the fetcher that records where the user works.
#include "actors/proc_sampler.hpp"

#include <algorithm>

#include "core/dirs_exclude.hpp"
#include "core/proc_cwds.hpp"

namespace gum {

sampler_actor::behavior_type sampler_behavior(sampler_actor::stateful_pointer<sampler_state> self,
                                              config cfg, std::string home, writer_actor writer) {
  return {
      [self, cfg, home, writer](sample_atom) -> caf::result<int64_t> {
        if (!writer)
          return make_error(status::fail(status_code::database, "the database is open read-only"));
        auto cwds = sample_process_cwds(home);
        std::vector<std::string> visits;
        for (auto& dir : cwds) {
          if (!is_excluded(cfg, dir)) visits.push_back(dir);
        }
        return self->delegate(writer, visit_atom::value, std::move(visits));
      },
  };
}


sampler_actor spawn_proc_sampler(caf::actor_system& system, config cfg, std::string home,
                                 writer_actor writer) {
  return system.spawn<caf::detached>(sampler_behavior, std::move(cfg), std::move(home),
                                     std::move(writer));
}

}  // namespace gum
