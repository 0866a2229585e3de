// cli/commands/doctor.cpp: `gum doctor [--online]`: is this set-up healthy, and if not, what
// to do. One line per check on stdout (core/doctor_checks.hpp prints it), exit 1 when any
// check failed (a config that does not parse included: reporting it is doctor's job).
//
// Why it is built this way:
// - It never changes anything: the database is audited by a READ-ONLY engine (the auditor's
//   quick check, and the cache for the index's freshness and the last visit), exactly as
//   `gum integrity --quick` and `gum projects --cached` would read it. A missing database is
//   reported, not created; a file that is not a database is reported, not touched.
// - The network is used only with --online, and then through the engine's fetcher as a dry-run
//   incremental sync: the same requests `gum sync -n` makes (pages with a stored ETag come back
//   304 and cost no rate limit), with the configured API URL and no rate-limit wait. It proves
//   the URL answers and the token is accepted.
// - The token is looked up as `gum sync` does (GH_TOKEN, GITHUB_TOKEN, github.token_command);
//   only where it came from is printed, never the token.
// - Checks that cannot run because an earlier one failed (no config, no database) are printed
//   as skipped ("-"), so every run prints the same list.
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.hpp"
#include "core/doctor_checks.hpp"
#include "core/process.hpp"
#include "core/github_token.hpp"
#include "core/paths.hpp"

namespace gum::cli {

namespace {

using state = doctor_check::state;

struct doctor_args {
  bool online = false;
};

doctor_check ok(std::string name, std::string detail) {
  return {std::move(name), state::ok, std::move(detail), {}};
}
doctor_check failed(std::string name, std::string detail, std::string fix) {
  return {std::move(name), state::failed, std::move(detail), std::move(fix)};
}
doctor_check skipped(std::string name, std::string why) {
  return {std::move(name), state::skipped, std::move(why), {}};
}

std::string plural(int64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

bool file_exists(const std::string& path, off_t* size = nullptr) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  if (size) *size = st.st_size;
  return true;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// config: parses, no unknown keys. The config file is named as gum found it.
doctor_check check_config(invocation& inv, const status& loaded) {
  const std::string where = inv.cfg().config_path.empty()
                                ? std::string("no config file")
                                : tilde_path(inv.cfg().config_path, inv.env().home);
  if (!loaded.ok())
    return failed("config", loaded.message,
                  loaded.hint.empty() ? "correct the file (docs/configuration.md)" : loaded.hint);
  const auto& warnings = inv.cfg().warnings;
  if (!warnings.empty()) {
    std::string detail = warnings.front();
    if (warnings.size() > 1) detail += " (and " + std::to_string(warnings.size() - 1) + " more)";
    return failed("config", detail, "remove or correct the key (docs/configuration.md)");
  }
  if (inv.cfg().config_path.empty())
    return ok("config", "no config.yaml, roots from " + inv.cfg().roots_source);
  return ok("config", where + " parses");
}

// roots: at least one, and every configured one exists.
doctor_check check_roots(invocation& inv) {
  const auto& cfg = inv.cfg();
  const auto& home = inv.env().home;
  const std::string file = cfg.config_path.empty()
                               ? tilde_path(inv.env().xdg_config_home + "/gum/config.yaml", home)
                               : tilde_path(cfg.config_path, home);
  if (cfg.roots.empty())
    return failed("roots", "no project root is configured",
                  "write `projects: [~/code]` in " + file);
  std::string missing;
  int64_t n_missing = 0;
  for (auto& r : cfg.roots) {
    struct stat st;
    if (::stat(r.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) continue;
    missing += (missing.empty() ? "" : ", ") + tilde_path(r, home);
    ++n_missing;
  }
  if (n_missing > 0)
    return failed("roots", missing + (n_missing == 1 ? " does not exist" : " do not exist"),
                  "create " + std::string(n_missing == 1 ? "it" : "them") +
                      ", or remove it from projects in " + file);
  std::string list;
  for (auto& r : cfg.roots) list += (list.empty() ? "" : ", ") + tilde_path(r, home);
  return ok("roots", plural(static_cast<int64_t>(cfg.roots.size()), "root", "roots") + ": " +
                         list);
}

// The audit's verdict in two lines: the file and its content, then WAL and schema.
void check_audit(const integrity_report& report, std::vector<doctor_check>& out) {
  std::string bad;
  const integrity_check* concurrency = nullptr;
  for (auto& c : report.checks) {
    if (c.name == "concurrency") {
      concurrency = &c;
      continue;
    }
    if (!c.ok) bad += (bad.empty() ? "" : "; ") + c.name + ": " + c.detail;
  }
  if (bad.empty())
    out.push_back(ok("integrity", "quick check passed"));
  else
    out.push_back(failed("integrity", bad,
                         "run `gum integrity` for details; `gum integrity --repair` fixes links, "
                         "counts and duplicates"));
  if (!concurrency)
    out.push_back(skipped("schema, WAL", "not reported by the audit"));
  else if (concurrency->ok)
    out.push_back(ok("schema, WAL", concurrency->detail));
  else
    out.push_back(failed("schema, WAL", concurrency->detail,
                         "run `gum integrity --repair` (it truncates the WAL and switches to "
                         "WAL mode); an old schema is migrated by `gum projects --refresh`"));
}

// index: fresh, as `gum projects --cached --verbose` would judge it.
doctor_check check_index(invocation& inv) {
  project_query query;
  query.build_if_missing = false;
  query.limit = 0;
  projects_reply reply;
  if (auto st = inv.engine().call(reply, projects_atom::value, query); !st.ok())
    return failed("index", st.message, "run `gum projects --refresh`");
  if (!reply.stale_reason.empty())
    return failed("index", "not fresh: " + reply.stale_reason, "run `gum projects --refresh`");
  cache_stats stats;
  std::string detail = "fresh";
  if (auto st = inv.engine().call(stats, stats_atom::value); st.ok()) {
    for (auto& d : stats.datasets) {
      if (d.key != "projects") continue;
      detail += ": " + plural(d.item_count, "project", "projects");
      if (d.age_seconds) detail += ", built " + age_phrase(*d.age_seconds);
    }
  }
  return ok("index", detail);
}

// shell hook: `gum init` in a start-up file, and visits being recorded. `newest_visit` is the
// last_seen of the most recent visit, or 0 when none (or no database).
doctor_check check_hook(invocation& inv, int64_t newest_visit, bool have_database) {
  const auto& env = inv.env();
  std::string installed_in;
  for (auto& file : shell_hook_files(env.home, env.xdg_config_home)) {
    if (!file_exists(file)) continue;
    if (runs_gum_init(read_text(file))) {
      installed_in = tilde_path(file, env.home);
      break;
    }
  }
  std::string visit = newest_visit > 0
                          ? "last visit " + age_phrase(static_cast<int64_t>(::time(nullptr)) -
                                                       newest_visit)
                          : std::string("no visit recorded");
  if (installed_in.empty())
    return failed("shell hook", "`gum init` is in no shell start-up file; " + visit,
                  "add eval \"$(gum init bash)\" to ~/.bashrc (zsh: ~/.zshrc; fish: "
                  "gum init fish | source in config.fish), then open a new shell");
  if (newest_visit <= 0)
    return failed("shell hook", "installed in " + installed_in + ", but " + visit,
                  have_database ? "open a new shell and cd somewhere; `gum --debug add .` "
                                  "shows why a visit fails"
                                : "open a new shell and cd somewhere");
  return ok("shell hook", "installed in " + installed_in + ", " + visit);
}

// The newest visit in dir_usage (0: none), read by the cache.
int64_t newest_visit(invocation& inv) {
  dir_query query;
  query.only_existing = false;
  std::vector<dir_entry> dirs;
  if (!inv.engine().call(dirs, dirs_atom::value, query).ok()) return 0;
  int64_t newest = 0;
  for (auto& d : dirs) newest = std::max(newest, d.last_seen);
  return newest;
}

// Where the token came from, as resolve_github_token looks (never the token itself).
std::string token_source(const environment& env, const std::string& command) {
  if (!env.variable("GH_TOKEN").empty()) return "GH_TOKEN";
  if (!env.variable("GITHUB_TOKEN").empty()) return "GITHUB_TOKEN";
  return "github.token_command (" + command + ")";
}

status run_doctor(invocation& inv, const doctor_args& args) {
  std::vector<doctor_check> checks;
  const status loaded = inv.load_config();
  checks.push_back(check_config(inv, loaded));
  const std::string db_path = inv.database_path();
  const std::string db_shown = tilde_path(db_path, inv.env().home);
  bool have_database = false;
  int64_t visit = 0;
  if (!loaded.ok()) {
    for (const char* name : {"roots", "database", "integrity", "schema, WAL", "index"})
      checks.push_back(skipped(name, "not checked: the config does not load"));
  } else {
    checks.push_back(check_roots(inv));
    off_t size = 0;
    if (!file_exists(db_path, &size)) {
      checks.push_back(failed("database", db_shown + " does not exist yet",
                              "run `gum projects` to create it and build the index"));
      for (const char* name : {"integrity", "schema, WAL", "index"})
        checks.push_back(skipped(name, "not checked: there is no database"));
    } else if (auto st = inv.start_engine(/*read_only=*/true); !st.ok()) {
      checks.push_back(failed("database", db_shown + ": " + st.message,
                              st.hint.empty() ? "see `gum integrity` and docs/integrity.md"
                                              : st.hint));
      for (const char* name : {"integrity", "schema, WAL", "index"})
        checks.push_back(skipped(name, "not checked: the database does not open"));
    } else {
      // The engine opens its connections on the first request: the audit is what proves that
      // the file is a gum database.
      audit_options options;
      options.quick = true;
      integrity_report report;
      status audited = inv.engine().call(report, audit_atom::value, options);
      if (!audited.ok() && audited.code == status_code::database) {
        checks.push_back(failed("database", audited.message,
                                audited.hint.empty()
                                    ? "move the file away or point --db/GUM_DB elsewhere; see "
                                      "docs/integrity.md"
                                    : audited.hint));
        for (const char* name : {"integrity", "schema, WAL", "index"})
          checks.push_back(skipped(name, "not checked: the database does not open"));
      } else {
        have_database = true;
        checks.push_back(ok("database", db_shown + " opens (" +
                                            std::to_string((size + 1023) / 1024) + " KiB)"));
        if (audited.ok()) {
          check_audit(report, checks);
        } else {
          checks.push_back(failed("integrity", audited.message, "run `gum integrity` for details"));
          checks.push_back(skipped("schema, WAL", "not checked: the audit failed"));
        }
        checks.push_back(check_index(inv));
        visit = newest_visit(inv);
      }
    }
  }
  checks.push_back(check_hook(inv, visit, have_database));

  const std::string command = inv.cfg().github_token_command;
  const std::string token = resolve_github_token(inv.env(), command);
  if (token.empty())
    checks.push_back(failed("github token", "none found in GH_TOKEN, GITHUB_TOKEN or " + command,
                            "set GH_TOKEN, or run `gh auth login` (see github.token_command)"));
  else
    checks.push_back(ok("github token", "found in " + token_source(inv.env(), command) +
                                            " (not shown)"));
  if (!args.online) {
    checks.push_back(skipped("github api", "not checked (pass --online)"));
  } else if (token.empty() || !loaded.ok()) {
    checks.push_back(skipped("github api", token.empty() ? "not checked: no token"
                                                         : "not checked: the config does not load"));
  } else {
    const std::string api = inv.github_api_url();
    status st = have_database ? status::success() : inv.start_engine(/*read_only=*/true);
    sync_options opts;
    opts.type = "incremental";
    opts.dry_run = true;
    opts.max_wait_seconds = 0;
    opts.api_url = api;
    opts.token = token;
    sync_result result;
    if (st.ok()) st = inv.engine().call(result, sync_atom::value, opts);
    if (st.ok())
      checks.push_back(ok("github api", api + " answers: " +
                                            plural(result.total, "repository", "repositories") +
                                            " visible"));
    else
      checks.push_back(failed("github api", api + ": " + st.message,
                              st.hint.empty() ? "check github.api_url and the token" : st.hint));
  }

  std::string path_list = inv.env().variable("PATH");
  if (path_list.empty()) path_list = "/usr/local/bin:/usr/bin:/bin";
  const std::string fzf = find_program("fzf", path_list);
  if (fzf.empty())
    checks.push_back(failed("fzf", "not found on PATH (needed by gum projects -i, gum dirs -i, ji)",
                            "install fzf (Debian: apt install fzf)"));
  else
    checks.push_back(ok("fzf", fzf));

  int64_t n_failed = 0;
  std::string out;
  for (auto& c : checks) {
    out += format_doctor_check(c) + "\n";
    if (c.result == state::failed) ++n_failed;
  }
  std::cout << out << std::flush;
  if (n_failed == 0) return status::success();
  return status::fail(status_code::failure,
                      plural(n_failed, "check", "checks") + " failed (see the fix on each line)");
}

}  // namespace

void register_doctor(CLI::App& app, std::vector<command>& commands) {
  auto args = std::make_shared<doctor_args>();
  auto* sub = app.add_subcommand(
      "doctor", "Check the config, database, index, token, shell hook and fzf, with fixes");
  sub->add_flag("--online", args->online,
                "Also check that the GitHub API answers (a dry-run sync: nothing is written)");
  commands.push_back({sub, [args](invocation& inv) { return run_doctor(inv, *args); }});
}

}  // namespace gum::cli
