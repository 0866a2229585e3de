// cli/command.hpp: what a command file gives the app: its CLI11 subcommand and what to run
// when it was chosen. One file per command under cli/commands/, each with one register_*
// function; cli/app.cpp calls them in the order `gum --help` lists the commands.
#pragma once

#include <functional>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/invocation.hpp"

namespace gum::cli {

/// One subcommand: its CLI11 node and what to run when it was chosen.
struct command {
  CLI::App* app = nullptr;
  std::function<status(invocation&)> run;
};

/// Moves `value` into a holder that is never destroyed. Every command is the last thing its
/// process does, and freeing a 10 000-project list one string at a time is wasted work: with
/// it, `--debug` showed 3.5 ms from the last output to the engine's stop, without it 1 ms
/// (end to end about 1 ms of a 23 ms cached `gum projects`, 8 alternated perf-stat runs). The
/// kernel takes the memory back at exit. The holder stays reachable, so LeakSanitizer does not
/// report it. One holder per type: a second call replaces (and frees) the first value.
template <class T>
void keep_until_exit(T&& value) {
  static auto* holder = new std::decay_t<T>();
  *holder = std::forward<T>(value);
}

// Each command file registers its subcommand.
void register_projects(CLI::App& app, std::vector<command>& commands);    // projects
void register_add(CLI::App& app, std::vector<command>& commands);         // add
void register_dirs(CLI::App& app, std::vector<command>& commands);        // dirs
void register_jump(CLI::App& app, std::vector<command>& commands);        // jump
void register_init(CLI::App& app, std::vector<command>& commands);        // init
void register_import(CLI::App& app, std::vector<command>& commands);      // import
void register_sync(CLI::App& app, std::vector<command>& commands);        // sync (update)
void register_github(CLI::App& app, std::vector<command>& commands);      // github
void register_integrity(CLI::App& app, std::vector<command>& commands);   // integrity
void register_clone(CLI::App& app, std::vector<command>& commands);       // clone
void register_doctor(CLI::App& app, std::vector<command>& commands);      // doctor
void register_migrate(CLI::App& app, std::vector<command>& commands);     // migrate
void register_crontab(CLI::App& app, std::vector<command>& commands);     // crontab
void register_completion(CLI::App& app, std::vector<command>& commands);  // completion
void register_stress(CLI::App& app, std::vector<command>& commands);      // stress
void register_version(CLI::App& app, std::vector<command>& commands);     // version
void register_engine(CLI::App& app, std::vector<command>& commands);      // engine

}  // namespace gum::cli
