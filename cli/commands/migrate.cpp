// cli/commands/migrate.cpp: not built yet; see the open issue that owns this command.
#include "cli/context.hpp"

namespace gum::cli {

void register_migrate(CLI::App&, std::vector<command>&) {}

}  // namespace gum::cli
