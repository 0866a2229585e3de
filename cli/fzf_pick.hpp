// cli/fzf_pick.hpp: `gum projects -i` and `gum dirs -i`: an interactive choice made with fzf.
//
// The list goes to fzf as `INDEX<TAB>PATH<TAB>DETAIL` lines, of which fzf shows PATH and
// DETAIL and searches PATH only (`--delimiter '\t' --with-nth 2.. --nth 1`): a remote or a
// score never matches a query. The index maps fzf's answer back to the exact path, whatever
// bytes it holds (a tab or newline in a path is shown escaped).
//
// fzf is started with posix_spawn (never fork: the actor system may be running), its input a
// memory file (no pipe to keep fed while it runs), its answer read from a pipe, and its
// screen on /dev/tty (stderr when there is no terminal), so `d=$(gum dirs -i)` works. Its
// environment's FZF_DEFAULT_OPTS becomes gum's look (height, layout, preview), then the
// user's own FZF_DEFAULT_OPTS, then GUM_FZF_OPTS, each overriding the one before; the three
// options above are always given on the command line.
#pragma once

#include <string>
#include <vector>

#include "gum/messages.hpp"
#include "gum/options.hpp"

namespace gum::cli {

/// Lets the user pick one project with fzf (found on env's PATH) and prints its path on stdout.
/// Nothing chosen (no match, Esc, Ctrl-C, an empty list): exit 1, silently. fzf not on PATH: exit 2
/// with an install hint. fzf failing otherwise: exit 1 with its exit status.
status pick_project(const environment& env, const std::vector<project>& projects);

/// As pick_project, for frecent directories in the order given (best first; fzf keeps it).
status pick_dir(const environment& env, const std::vector<dir_entry>& dirs);

}  // namespace gum::cli
