// actors/github_fetcher.cpp: placeholder until the GitHub sync lands (issue: GitHub sync).
#include "actors/github_fetcher.hpp"

namespace gum {

namespace {

struct github_state {
  static inline const char* name = "gum.github_fetcher";
};

github_actor::behavior_type github_behavior(github_actor::stateful_pointer<github_state>, config,
                                            cache_actor, writer_actor) {
  return {
      [](sync_atom, const sync_options&) -> caf::result<sync_result> {
        return make_error(status::fail(status_code::failure, "GitHub sync is not available yet"));
      },
  };
}

}  // namespace

github_actor spawn_github_fetcher(caf::actor_system& system, config cfg, cache_actor cache,
                                  writer_actor writer) {
  return system.spawn<caf::detached>(github_behavior, std::move(cfg), std::move(cache),
                                     std::move(writer));
}

}  // namespace gum
