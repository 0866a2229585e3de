// Fault injection the SQLite way (issue 17): the I/O-error loop and the full-disk loop.
//
// The test registers, as SQLite's default VFS, a VFS that wraps the real one and can fail the
// Nth read, write, sync or lock call (xLock and xShmLock) of every file it opened, or answer
// SQLITE_FULL once a budget of written bytes is spent. The product has no test hook: the
// engine runs in this process (tests/support/engine_host.hpp) and simply finds the VFS as the
// default. For each operation (`gum add`, a refresh, a sync commit) and each kind of call,
// N = 1, 2, 3 … until the operation meets no fault at all:
//   - the operation either succeeds or fails with status_code::database (exit 3) and a
//     message of one line;
//   - the database then passes PRAGMA integrity_check;
//   - either the whole change is present or none of it.
// The figures (iterations, failures by kind) are printed for docs/integrity.md.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "gum/engine.hpp"
#include "tests/support/engine_host.hpp"
#include "tests/support/fixture_process.hpp"
#include "tests/support/test_env.hpp"

namespace gum {
namespace {

namespace fs = std::filesystem;
using testing::test_env;

// ---- the faulty VFS ------------------------------------------------------------------------

enum class call_kind { read, write, sync, lock, count };
const char* const kind_names[] = {"read", "write", "sync", "lock"};

struct fault_plan {
  std::atomic<bool> armed{false};
  call_kind kind = call_kind::read;
  std::atomic<int64_t> calls{0};     // calls of `kind` since armed
  int64_t fail_at = 0;               // the call that fails (1-based); 0: none
  std::atomic<bool> fired{false};
  int64_t full_after_bytes = -1;     // >= 0: writes past this many bytes answer SQLITE_FULL
  std::atomic<int64_t> written{0};
};
fault_plan plan;

struct faulty_file {
  sqlite3_file base;  // must come first: SQLite sees a faulty_file as a sqlite3_file
  sqlite3_file* real;
};

sqlite3_vfs* real_vfs = nullptr;

// True when this call of `kind` is the one to fail.
bool strike(call_kind kind) {
  if (!plan.armed.load() || plan.full_after_bytes >= 0 || kind != plan.kind) return false;
  if (plan.calls.fetch_add(1) + 1 != plan.fail_at) return false;
  plan.fired = true;
  return true;
}

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<faulty_file*>(f)->real; }

int f_close(sqlite3_file* f) {
  sqlite3_file* real = real_of(f);
  int rc = real->pMethods ? real->pMethods->xClose(real) : SQLITE_OK;
  sqlite3_free(real);
  return rc;
}
int f_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  if (strike(call_kind::read)) return SQLITE_IOERR_READ;
  return real_of(f)->pMethods->xRead(real_of(f), buf, n, off);
}
int f_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  if (strike(call_kind::write)) return SQLITE_IOERR_WRITE;
  if (plan.armed.load() && plan.full_after_bytes >= 0 &&
      plan.written.fetch_add(n) + n > plan.full_after_bytes) {
    plan.fired = true;
    return SQLITE_FULL;
  }
  return real_of(f)->pMethods->xWrite(real_of(f), buf, n, off);
}
int f_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
int f_sync(sqlite3_file* f, int flags) {
  if (strike(call_kind::sync)) return SQLITE_IOERR_FSYNC;
  return real_of(f)->pMethods->xSync(real_of(f), flags);
}
int f_size(sqlite3_file* f, sqlite3_int64* size) {
  return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
int f_lock(sqlite3_file* f, int level) {
  if (strike(call_kind::lock)) return SQLITE_IOERR_LOCK;
  return real_of(f)->pMethods->xLock(real_of(f), level);
}
int f_unlock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xUnlock(real_of(f), level); }
int f_check_lock(sqlite3_file* f, int* out) {
  return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int f_control(sqlite3_file* f, int op, void* arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int f_sector(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int f_device(sqlite3_file* f) {
  return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
int f_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, out);
}
int f_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  // Only taking a lock can fail; releasing one never does in a real VFS.
  if ((flags & SQLITE_SHM_LOCK) && strike(call_kind::lock)) return SQLITE_IOERR_SHMLOCK;
  return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void f_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int f_shm_unmap(sqlite3_file* f, int del) { return real_of(f)->pMethods->xShmUnmap(real_of(f), del); }

const sqlite3_io_methods faulty_methods = {
    2,           f_close,       f_read,         f_write,     f_truncate,       f_sync,
    f_size,      f_lock,        f_unlock,       f_check_lock, f_control,       f_sector,
    f_device,    f_shm_map,     f_shm_lock,     f_shm_barrier, f_shm_unmap,    nullptr,
    nullptr};

int v_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  auto* ff = reinterpret_cast<faulty_file*>(file);
  ff->base.pMethods = nullptr;
  ff->real = static_cast<sqlite3_file*>(sqlite3_malloc(real_vfs->szOsFile));
  if (!ff->real) return SQLITE_NOMEM;
  std::memset(ff->real, 0, static_cast<size_t>(real_vfs->szOsFile));
  int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (ff->real->pMethods) ff->real->pMethods->xClose(ff->real);
    sqlite3_free(ff->real);
    return rc;
  }
  ff->base.pMethods = &faulty_methods;
  return SQLITE_OK;
}
int v_delete(sqlite3_vfs*, const char* name, int sync) {
  return real_vfs->xDelete(real_vfs, name, sync);
}
int v_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return real_vfs->xAccess(real_vfs, name, flags, out);
}
int v_full(sqlite3_vfs*, const char* name, int n, char* out) {
  return real_vfs->xFullPathname(real_vfs, name, n, out);
}
void* v_dlopen(sqlite3_vfs*, const char* name) { return real_vfs->xDlOpen(real_vfs, name); }
void v_dlerror(sqlite3_vfs*, int n, char* out) { real_vfs->xDlError(real_vfs, n, out); }
void (*v_dlsym(sqlite3_vfs*, void* h, const char* sym))(void) {
  return real_vfs->xDlSym(real_vfs, h, sym);
}
void v_dlclose(sqlite3_vfs*, void* h) { real_vfs->xDlClose(real_vfs, h); }
int v_random(sqlite3_vfs*, int n, char* out) { return real_vfs->xRandomness(real_vfs, n, out); }
int v_sleep(sqlite3_vfs*, int us) { return real_vfs->xSleep(real_vfs, us); }
int v_time(sqlite3_vfs*, double* t) { return real_vfs->xCurrentTime(real_vfs, t); }
int v_error(sqlite3_vfs*, int n, char* out) {
  return real_vfs->xGetLastError ? real_vfs->xGetLastError(real_vfs, n, out) : 0;
}
int v_time64(sqlite3_vfs*, sqlite3_int64* t) {
  return real_vfs->xCurrentTimeInt64(real_vfs, t);
}

sqlite3_vfs faulty_vfs;

// Registers the faulty VFS as SQLite's default, once per process.
void install_faulty_vfs() {
  static bool done = [] {
    sqlite3_initialize();
    real_vfs = sqlite3_vfs_find(nullptr);
    faulty_vfs = sqlite3_vfs{};
    faulty_vfs.iVersion = 2;
    faulty_vfs.szOsFile = static_cast<int>(sizeof(faulty_file));
    faulty_vfs.mxPathname = real_vfs->mxPathname;
    faulty_vfs.zName = "gum_faulty";
    faulty_vfs.xOpen = v_open;
    faulty_vfs.xDelete = v_delete;
    faulty_vfs.xAccess = v_access;
    faulty_vfs.xFullPathname = v_full;
    faulty_vfs.xDlOpen = v_dlopen;
    faulty_vfs.xDlError = v_dlerror;
    faulty_vfs.xDlSym = v_dlsym;
    faulty_vfs.xDlClose = v_dlclose;
    faulty_vfs.xRandomness = v_random;
    faulty_vfs.xSleep = v_sleep;
    faulty_vfs.xCurrentTime = v_time;
    faulty_vfs.xGetLastError = v_error;
    faulty_vfs.xCurrentTimeInt64 = v_time64;
    return sqlite3_vfs_register(&faulty_vfs, 1) == SQLITE_OK;
  }();
  ASSERT_TRUE(done);
}

// ---- the loop ------------------------------------------------------------------------------

// PRAGMA integrity_check of `db`, "ok" when clean (run with no fault armed).
std::string integrity_of(const std::string& db) {
  return testing::sqlite_text(db, "PRAGMA integrity_check");
}

// One operation under test: `run` does it on a started engine; `state` reads what it changes
// (with no fault armed), which must afterwards equal `before` or `after` exactly.
struct operation {
  std::string name;
  std::function<status(engine&)> run;
  std::function<std::string(const std::string& db)> state;
};

struct loop_figures {
  int iterations = 0;
  int failures = 0;
  std::map<std::string, int> messages;  // first words of each failure message
};

// Copies the baseline database files to `db`, replacing what was there.
void restore(const std::string& baseline, const std::string& db) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(db + suffix);
    if (fs::exists(baseline + suffix)) fs::copy_file(baseline + suffix, db + suffix);
  }
}

// Runs `op` once against a copy of `baseline` under the armed plan and checks the outcome.
// Returns whether the fault fired.
bool run_once(const operation& op, const engine_options& options, const std::string& baseline,
              const std::string& before, const std::string& after, loop_figures& figures,
              const std::string& label) {
  restore(baseline, options.database_path);
  plan.calls = 0;
  plan.written = 0;
  plan.fired = false;
  status st;
  {
    testing::engine_host host;
    plan.armed = true;
    st = host.start(options);
    if (st.ok()) st = op.run(*host.engine);
    if (host.engine) host.engine->shutdown();
    host.engine.reset();
    plan.armed = false;
  }
  ++figures.iterations;
  if (!st.ok()) {
    ++figures.failures;
    EXPECT_EQ(st.code, status_code::database) << label << ": " << st.message;
    EXPECT_EQ(st.message.find('\n'), std::string::npos) << label << ": " << st.message;
    EXPECT_FALSE(st.message.empty()) << label;
    figures.messages[st.message.substr(0, st.message.find(':'))]++;
  }
  EXPECT_EQ(integrity_of(options.database_path), "ok") << label;
  std::string now = op.state(options.database_path);
  EXPECT_TRUE(now == before || now == after)
      << label << ": half a change is present (" << st.message << ")\n"
      << now;
  if (st.ok()) {
    EXPECT_EQ(now, after) << label << ": succeeded but the change is missing";
  }
  return plan.fired.load();
}

// The I/O-error loop and the full-disk loop over `op`.
loop_figures fault_loops(const operation& op, const engine_options& options,
                         const std::string& baseline) {
  loop_figures figures;
  std::string before, after;
  {
    // The change once without faults, to know what "all of it" is.
    restore(baseline, options.database_path);
    before = op.state(options.database_path);
    testing::engine_host host;
    status st = host.start(options);
    if (st.ok()) st = op.run(*host.engine);
    EXPECT_TRUE(st.ok()) << op.name << ": " << st.message;
    host.engine->shutdown();
    host.engine.reset();
    after = op.state(options.database_path);
    EXPECT_NE(before, after) << op.name << " changes nothing";
  }
  constexpr int64_t max_n = 400;  // bounds the loop; every operation here needs far fewer
  for (int k = 0; k < static_cast<int>(call_kind::count); ++k) {
    plan.kind = static_cast<call_kind>(k);
    plan.full_after_bytes = -1;
    // With storage.synchronous: normal (the default) a WAL commit does not sync at all; the
    // sync faults run with `full`, which syncs the WAL at every commit.
    engine_options run_options = options;
    if (plan.kind == call_kind::sync) run_options.config.synchronous_full = true;
    int64_t n = 1;
    for (; n <= max_n; ++n) {
      plan.fail_at = n;
      std::string label = op.name + ", " + kind_names[k] + " call " + std::to_string(n) + " fails";
      if (!run_once(op, run_options, baseline, before, after, figures, label)) break;
      if (::testing::Test::HasFailure()) return figures;
    }
    EXPECT_LE(n, max_n) << op.name << ": still failing after " << max_n << " " << kind_names[k]
                        << " faults";
    std::printf("[fault loop] %s: %s faults N=1..%lld\n", op.name.c_str(), kind_names[k],
                static_cast<long long>(n - 1));
  }
  // Full disk: every write past the budget answers SQLITE_FULL.
  plan.fail_at = 0;
  int full_runs = 0;
  for (int64_t budget = 0; budget <= (int64_t{64} << 20); budget = budget * 2 + 4096) {
    plan.full_after_bytes = budget;
    std::string label = op.name + ", disk full after " + std::to_string(budget) + " bytes";
    ++full_runs;
    bool fired = run_once(op, options, baseline, before, after, figures, label);
    if (::testing::Test::HasFailure()) break;
    if (!fired) break;
  }
  plan.full_after_bytes = -1;
  std::printf("[fault loop] %s: %d full-disk budgets; %d runs, %d failed cleanly\n",
              op.name.c_str(), full_runs, figures.iterations, figures.failures);
  for (auto& [m, c] : figures.messages) std::printf("[fault loop]   %4d x %s\n", c, m.c_str());
  return figures;
}

// A world: HOME with a few repositories under one root, and a baseline database that already
// holds one refresh and one visit (made with no fault armed).
struct world {
  test_env env;
  std::string root, db, baseline;
  engine_options options;
  world() {
    install_faulty_vfs();
    root = env.home() + "/projects";
    for (int i = 0; i < 4; ++i)
      test_env::make_repo(root + "/repo" + std::to_string(i),
                          "https://github.com/acme/repo" + std::to_string(i));
    db = env.root() + "/db/gum.db";
    baseline = env.root() + "/baseline/gum.db";
    fs::create_directories(env.root() + "/db");
    fs::create_directories(env.root() + "/baseline");
    options.database_path = baseline;
    options.home = env.home();
    options.config.roots = {root};
    options.config.roots_source = "config";
    options.config.busy_timeout_ms = 200;
    {
      testing::engine_host host;
      EXPECT_TRUE(host.start(options).ok());
      refresh_result r;
      EXPECT_TRUE(host.engine->call(r, refresh_atom::value).ok());
      int64_t n = 0;
      EXPECT_TRUE(host.engine->call(n, visit_atom::value, std::vector<std::string>{root}).ok());
      host.engine->shutdown();
    }
    options.database_path = db;
    // More repositories, so that the refresh under test changes something.
    for (int i = 4; i < 12; ++i) test_env::make_repo(root + "/repo" + std::to_string(i), "");
  }
};

std::string all_rows(const std::string& db, const std::string& table, const std::string& cols) {
  return testing::sqlite_text(db, "SELECT count(*) || ':' || coalesce(group_concat(" + cols +
                                      ", ','), '') FROM (SELECT * FROM " + table +
                                      " ORDER BY 1)");
}

TEST(fault_injection, gum_add_is_all_or_nothing_under_every_io_fault_and_a_full_disk) {
  world w;
  operation op{"gum add",
               [&](engine& e) {
                 int64_t n = 0;
                 return e.call(n, visit_atom::value,
                               std::vector<std::string>{w.root + "/repo1", w.root + "/repo2"});
               },
               [](const std::string& db) { return all_rows(db, "dir_usage", "path || '=' || rank"); }};
  auto f = fault_loops(op, w.options, w.baseline);
  EXPECT_GT(f.failures, 0);
}

TEST(fault_injection, a_refresh_is_all_or_nothing_under_every_io_fault_and_a_full_disk) {
  world w;
  operation op{"refresh",
               [](engine& e) {
                 refresh_result r;
                 return e.call(r, refresh_atom::value);
               },
               [](const std::string& db) { return all_rows(db, "projects", "path"); }};
  auto f = fault_loops(op, w.options, w.baseline);
  EXPECT_GT(f.failures, 0);
}

TEST(fault_injection, a_sync_commit_is_all_or_nothing_under_every_io_fault_and_a_full_disk) {
  world w;
  testing::fixture_process server({"--repos", "120"});
  ASSERT_GT(server.port(), 0);
  operation op{"sync commit",
               [&](engine& e) {
                 sync_options o;
                 o.type = "full";
                 o.token = "ghp_FaultInjection0123456789";
                 o.api_url = "http://127.0.0.1:" + std::to_string(server.port());
                 sync_result r;
                 return e.call(r, sync_atom::value, o);
               },
               [](const std::string& db) {
                 return all_rows(db, "github_repos", "full_name || '/' || coalesce(stars, '')");
               }};
  auto f = fault_loops(op, w.options, w.baseline);
  EXPECT_GT(f.failures, 0);
}

}  // namespace
}  // namespace gum
