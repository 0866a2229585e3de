// cli/remote.cpp: finding `gum serve` / `gum --remote` in argv and handing over to gum-net.
#include "cli/remote.hpp"

#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace gum::cli {

namespace {

// Global options that take a value (gum's own and the client's).
bool takes_value(const char* arg) {
  return std::strcmp(arg, "--db") == 0 || std::strcmp(arg, "--config") == 0 ||
         std::strcmp(arg, "--remote") == 0 || std::strcmp(arg, "--remote-timeout") == 0 ||
         std::strcmp(arg, "--remote-cert") == 0 || std::strcmp(arg, "--remote-key") == 0 ||
         std::strcmp(arg, "--remote-ca") == 0;
}

// The client-only option `arg` names, or null.
std::string* client_option(network_argv& out, const std::string& name) {
  if (name == "--remote") return &out.remote;
  if (name == "--remote-timeout") return &out.timeout;
  if (name == "--remote-cert") return &out.cert;
  if (name == "--remote-key") return &out.key;
  if (name == "--remote-ca") return &out.ca;
  return nullptr;
}

bool is_executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

}  // namespace

network_argv scan_network_argv(int argc, char** argv, const char* gum_remote) {
  network_argv out;
  if (argc > 0) out.rest.push_back(argv[0]);
  int i = 1;
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.empty() || arg[0] != '-') {
      out.command = arg;
      out.command_index = static_cast<int>(out.rest.size());
      break;
    }
    auto eq = arg.find('=');
    std::string name = arg.substr(0, eq);
    if (auto* slot = client_option(out, name)) {
      if (name == "--remote") out.remote_flag = true;
      if (eq != std::string::npos) {
        *slot = arg.substr(eq + 1);
      } else if (i + 1 < argc) {
        *slot = argv[++i];
      }
      continue;
    }
    out.rest.push_back(arg);
    if (eq == std::string::npos && takes_value(argv[i]) && i + 1 < argc) out.rest.push_back(argv[++i]);
  }
  for (; i < argc; ++i) out.rest.push_back(argv[i]);
  if (!out.remote_flag && gum_remote) out.remote = gum_remote;
  return out;
}

bool runs_remotely(const std::string& c) {
  return c == "projects" || c == "projects-v2" || c == "github" || c == "dirs" || c == "jump" ||
         c == "sync" || c == "update" || c == "integrity" || c == "version";
}

int exec_network_front_end(int argc, char** argv) {
  // Cheap for every other command: no allocation unless an argument starts the way ours do.
  bool maybe = std::getenv("GUM_REMOTE") != nullptr;
  for (int i = 1; i < argc && !maybe; ++i)
    maybe = std::strncmp(argv[i], "--remote", 8) == 0 || std::strcmp(argv[i], "serve") == 0;
  if (!maybe) return -1;
  auto scan = scan_network_argv(argc, argv, std::getenv("GUM_REMOTE"));
  const bool serve = scan.command == "serve";
  // GUM_REMOTE alone sends only the commands that run remotely: the shell hook's `gum add`
  // stays local (docs/serve.md). An explicit --remote always goes (gum-net refuses the rest).
  const bool remote = scan.remote_flag || (!scan.remote.empty() && runs_remotely(scan.command));
  if (!serve && !remote) return -1;

  char self[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  std::string dir = ".";
  if (n > 0) {
    self[n] = '\0';
    dir = self;
    dir = dir.substr(0, dir.rfind('/'));
  }
  std::vector<std::string> candidates = {dir + "/gum-net", dir + "/../libexec/gum/gum-net"};
  for (auto& path : candidates) {
    if (!is_executable(path)) continue;
    ::execv(path.c_str(), argv);
    std::fprintf(stderr, "gum: cannot start %s: %s\n", path.c_str(), std::strerror(errno));
    return 1;
  }
  std::fprintf(stderr, "gum: `gum %s` needs gum-net, which is not installed next to gum\n",
               serve ? "serve" : "--remote");
  std::fprintf(stderr, "gum: looked for %s and %s\n", candidates[0].c_str(),
               candidates[1].c_str());
  return 1;
}

}  // namespace gum::cli
