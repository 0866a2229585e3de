// cli/commands/version.cpp: `gum version [-v]` and `gum --version`.
#include <iostream>
#include <map>
#include <thread>

#include "cli/command.hpp"
#include "gum/versions.hpp"

namespace gum::cli {

void register_version(CLI::App& app, std::vector<command>& commands) {
  auto verbose = std::make_shared<bool>(false);
  auto* sub = app.add_subcommand("version", "Print the version of gum and of its libraries");
  sub->add_flag("-v,--verbose", *verbose, "Add the CPU count and scheduler threads");
  commands.push_back({sub, [verbose](invocation&) {
                        std::map<std::string, std::string> v;
                        auto list = library_versions();
                        for (auto& [name, version] : list) v[name] = version;
                        std::cout << "gum " << v["gum"] << " (commit " << v["commit"] << ", built "
                                  << v["built"] << ")\n";
                        for (auto& [name, version] : list)
                          if (name != "gum" && name != "commit" && name != "built")
                            std::cout << name << ": " << version << '\n';
                        if (*verbose)
                          std::cout << "cpus: " << std::thread::hardware_concurrency() << '\n'
                                    << "scheduler threads: 1 (blocking actors run detached)\n";
                        return status::success();
                      }});
}

}  // namespace gum::cli
