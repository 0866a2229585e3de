// cli/app.hpp: the whole command-line front end, as one function.
#pragma once

namespace gum::cli {

/// The whole CLI: parse, run the chosen command, map the outcome to an exit code.
int run(int argc, char** argv);

}  // namespace gum::cli
