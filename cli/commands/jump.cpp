// cli/commands/jump.cpp: `gum jump KEYWORD...` (SPEC §3.2): prints the single best existing
// frecent match that is not the current directory; exit 1 (and no output) when there is none.
//
// It needs only the cache, and asks it for one entry: existence is checked best first. The
// rules live in core/jump_target.hpp, shared with the resident engine (`gum engine --stdio`).
#include <sys/stat.h>

#include <cerrno>

#include "cli/command.hpp"
#include "core/jump_target.hpp"
#include "cli/output.hpp"

namespace gum::cli {

namespace {

struct jump_args {
  std::vector<std::string> keywords;
};

status run_jump(invocation& inv, const jump_args& args) {
  // No database yet means no visit yet: nothing to jump to (and a reader does not create one).
  struct stat st_db;
  if (::stat(inv.database_path().c_str(), &st_db) != 0 && errno == ENOENT)
    return status::fail(status_code::failure, "");
  if (auto st = inv.start_engine(invocation::engine_kind::reader_only); !st.ok()) return st;
  std::vector<dir_entry> dirs;
  if (auto st = inv.engine().call(dirs, dirs_atom::value, jump_query(args.keywords, inv.env().cwd));
      !st.ok())
    return st;
  inv.debug("query answered: " + std::to_string(dirs.size()) + " candidates");
  if (auto target = pick_jump_target(dirs, ".")) {
    write_stdout(*target + "\n");
    return status::success();
  }
  return status::fail(status_code::failure, "");  // exit 1, no output
}

}  // namespace

void register_jump(CLI::App& app, std::vector<command>& commands) {
  auto args = std::make_shared<jump_args>();
  auto* sub = app.add_subcommand("jump", "Print the best frecent match (not the current one)");
  sub->add_option("keywords", args->keywords, "Keywords, as for `gum dirs`");
  commands.push_back({sub, [args](invocation& inv) { return run_jump(inv, *args); }});
}

}  // namespace gum::cli
