// cli/commands/github.cpp: `gum github`, SPEC §3.3: the synced GitHub repositories.
//
// It is offline: it reads github_repos through the cache and never calls the network.
#include <iostream>
#include <sstream>

#include "cli/command.hpp"
#include "cli/json_fields.hpp"
#include "cli/option_values.hpp"
#include "cli/output.hpp"

namespace gum::cli {

namespace {

struct github_args {
  std::string format = "default";
  std::string search;
  std::string language;
  std::string topic;
  bool archived = false;
  bool no_archived = false;
  std::string sort = "name";
  int64_t limit = -1;
  json_selection json;  // --json FIELDS, --jq EXPR
};

status run_github(invocation& inv, const github_args& args) {
  github_format format{};
  if (auto st = parse_github_format(args.format, format); !st.ok()) return st;
  if (args.json.active()) format = github_format::json;
  if (args.limit < -1) return status::fail(status_code::usage, "--limit must be 0 or more");
  if (args.archived && args.no_archived)
    return status::fail(status_code::usage, "--archived and --no-archived exclude each other");
  if (auto st = inv.start_engine(); !st.ok()) return st;
  github_query query;
  query.search = args.search;
  query.language = args.language;
  query.topic = args.topic;
  query.archived = args.archived ? 1 : args.no_archived ? 0 : -1;
  query.sort = args.sort;
  query.limit = args.limit;
  std::vector<github_repo> repos;
  if (auto st = inv.engine().call(repos, github_atom::value, query); !st.ok()) return st;
  if (repos.empty()) {
    cache_stats stats;
    if (auto st = inv.engine().call(stats, stats_atom::value); !st.ok()) return st;
    bool synced = false;
    for (const auto& d : stats.datasets) synced = synced || d.key == "github";
    if (!synced) {
      std::cerr << "gum: no GitHub data yet; run `gum sync`\n";
      return status::success();
    }
  }
  if (args.json.active()) {
    std::ostringstream json;
    print_github(json, repos, format);
    return write_selected_json(std::cout, json.str(), args.json);
  }
  print_github(std::cout, repos, format, inv.style());
  std::cout.flush();
  return status::success();
}

}  // namespace

void register_github(CLI::App& app, std::vector<command>& commands) {
  auto gargs = std::make_shared<github_args>();
  auto* github = app.add_subcommand("github", "List your synced GitHub repositories (offline)");
  accept_only(github->add_option("-f,--format", gargs->format, "Output format"), "format",
              list_format_names());
  add_json_options(github, gargs->json, github_json_fields());
  github->add_option("-s,--search", gargs->search, "Only repositories whose name or description "
                                                   "has every term");
  github->add_option("--language", gargs->language, "Only repositories in this language");
  github->add_option("--topic", gargs->topic, "Only repositories with this topic");
  github->add_flag("--archived", gargs->archived, "Only archived repositories");
  github->add_flag("--no-archived", gargs->no_archived, "Only repositories not archived");
  accept_only(github->add_option("--sort", gargs->sort, "Order: name (default), stars or pushed"),
              "sort", {"name", "stars", "pushed"});
  github->add_option("-n,--limit", gargs->limit, "Print at most N repositories");
  commands.push_back({github, [gargs](invocation& inv) { return run_github(inv, *gargs); }});
}

}  // namespace gum::cli
