// cli/commands/sync.cpp: not built yet; see the open issue that owns this command.
#include "cli/context.hpp"

namespace gum::cli {

void register_sync(CLI::App&, std::vector<command>&) {}

}  // namespace gum::cli
