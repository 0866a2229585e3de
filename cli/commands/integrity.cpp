// cli/commands/integrity.cpp: `gum integrity [--format text|json] [--quick] [--repair]`, SPEC §3.4.
//
// The audit runs on a READ-ONLY engine: it must never create, migrate or otherwise change the
// database it is asked to judge (a missing file stays missing, a file that is not a database
// or comes from a newer gum stays byte-identical; both are exit 3). --repair starts a writing
// engine only after that read-only audit found something to repair and found the file itself
// sound, so a damaged b-tree is refused (exit 3) without ever being opened for writing.
// Opening read-write lets SQLite roll back a leftover hot journal and switch the journal to
// WAL; those changes are printed with the writer's own repairs.
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli/command.hpp"
#include "cli/json_fields.hpp"
#include "cli/option_values.hpp"
#include "cli/output.hpp"
#include "gum/backup.hpp"

namespace gum::cli {

namespace {

struct integrity_args {
  std::string format = "text";
  bool quick = false;
  bool repair = false;
  json_selection json;  // --json FIELDS, --jq EXPR
};

// The report on stdout: through --json/--jq when given, else in `format`, coloured on a terminal.
status print_report(invocation& inv, const integrity_report& report, integrity_format format,
                    const integrity_args& args) {
  if (args.json.active()) {
    std::ostringstream json;
    print_integrity(json, report, integrity_format::json);
    return write_selected_json(std::cout, json.str(), args.json);
  }
  print_integrity(std::cout, report, format, inv.style());
  std::cout.flush();
  return status::success();
}

// The exit status of a finished audit: 0 when every check passed, else 1 naming the failures.
status verdict(const integrity_report& report) {
  std::string failed;
  bool file_failed = false;
  for (auto& c : report.checks) {
    if (c.ok) continue;
    failed += (failed.empty() ? "" : ", ") + c.name;
    file_failed = file_failed || c.name == "file";
  }
  if (report.ok && failed.empty()) return status::success();
  return status::fail(status_code::failure, "integrity check failed: " + failed,
                      file_failed ? "the file itself is damaged: see `sqlite3 DB .recover` in "
                                    "docs/integrity.md"
                                  : "see docs/integrity.md; `gum integrity --repair` fixes "
                                    "links, counts and duplicates");
}

status run_integrity(invocation& inv, const integrity_args& args) {
  integrity_format format{};
  if (auto st = parse_integrity_format(args.format, format); !st.ok()) return st;
  audit_options options;
  options.quick = args.quick;
  integrity_report report;
  if (auto st = inv.start_engine(/*read_only=*/true); !st.ok()) return st;
  if (auto st = inv.engine().call(report, audit_atom::value, options); !st.ok()) return st;
  if (!args.repair || report.ok) {
    if (auto st = print_report(inv, report, format, args); !st.ok()) return st;
    return verdict(report);
  }

  for (auto& c : report.checks) {
    if (c.name == "file" && !c.ok) {
      if (auto st = print_report(inv, report, format, args); !st.ok()) return st;
      return status::fail(
          status_code::database,
          "the database file is damaged (" + c.detail + "); gum does not repair it",
          "recover it with: sqlite3 " + inv.database_path() + " .recover | sqlite3 NEW.db");
    }
  }
  std::vector<std::string> opened;
  // Under --remote the engine is the server's, whose writer has the database open already
  // (and repaired what opening repairs when it started): it repairs through that writer.
  if (!inv.remote()) {
    if (auto st = inv.stop_engine(); !st.ok()) return st;
    opened = repairs_done_by_opening(inv.database_path());
    if (auto st = inv.start_engine(/*read_only=*/false); !st.ok()) return st;
  }
  options.repair = true;
  if (auto st = inv.engine().call(report, audit_atom::value, options); !st.ok()) return st;
  report.repairs.insert(report.repairs.begin(), opened.begin(), opened.end());
  if (auto st = print_report(inv, report, format, args); !st.ok()) return st;
  return verdict(report);
}

}  // namespace

void register_integrity(CLI::App& app, std::vector<command>& commands) {
  auto args = std::make_shared<integrity_args>();
  auto* sub = app.add_subcommand("integrity", "Check (and with --repair fix) the database");
  accept_only(sub->add_option("-f,--format", args->format, "Output format"), "format",
              integrity_format_names());
  add_json_options(sub, args->json, integrity_json_fields());
  sub->add_flag("--quick", args->quick, "quick_check instead of the full integrity_check");
  sub->add_flag("--repair", args->repair,
                "Fix dangling links, counts and duplicates, then check again");
  commands.push_back({sub, [args](invocation& inv) { return run_integrity(inv, *args); }});
}

}  // namespace gum::cli
