// actors/auditor.cpp: checks on a fresh read-only connection per audit.
//
// A fresh connection per audit means the checks see the file as it is now (a hot journal or a
// WAL left by a killed process included), not what an older connection had cached. --repair is
// audit, refuse if the file itself is damaged (gum does not rewrite b-trees), ask the writer to
// repair in one transaction, then audit again on another fresh connection: the second report
// is what the command exits on.
#include "actors/auditor.hpp"

#include "storage/database.hpp"
#include "storage/integrity_store.hpp"

namespace gum {

namespace {

// Runs the checks; storage errors become the error reply.
caf::error audit_once(const std::string& path, int64_t busy_timeout_ms, const audit_options& opts,
                      integrity_report& out) {
  try {
    auto db = storage::open_for_audit(path, busy_timeout_ms);
    out = storage::run_integrity_checks(db, opts, path);
    return {};
  } catch (const storage::storage_error& e) {
    return make_error(e.error_status());
  } catch (const std::exception& e) {
    return make_error(status::fail(status_code::failure, e.what()));
  }
}

}  // namespace

auditor_actor::behavior_type auditor_behavior(auditor_actor::stateful_pointer<auditor_state> self,
                                              std::string path, int64_t busy_timeout_ms,
                                              writer_actor writer) {
  return {
      [self, path, busy_timeout_ms, writer](audit_atom,
                                            audit_options opts) -> caf::result<integrity_report> {
        integrity_report report;
        if (auto err = audit_once(path, busy_timeout_ms, opts, report)) return err;
        if (!opts.repair) return report;
        for (auto& check : report.checks)
          if (check.name == "file" && !check.ok)
            return make_error(status::fail(
                status_code::database, "the database file is damaged; gum does not repair it",
                "recover it with: sqlite3 DB .recover | sqlite3 NEW.db"));
        if (!writer)
          return make_error(status::fail(status_code::database, "the database is open read-only"));
        auto rp = self->make_response_promise<integrity_report>();
        // The repairs commit in the writer's transaction; then the WAL is checkpointed and
        // truncated (which cannot happen inside a transaction); then a fresh audit.
        self->request(writer, caf::infinite, repair_atom::value)
            .then(
                [self, rp, path, busy_timeout_ms, opts,
                 writer](std::vector<std::string>& repairs) mutable {
                  auto done = std::make_shared<std::vector<std::string>>(std::move(repairs));
                  self->request(writer, caf::infinite, checkpoint_atom::value)
                      .then(
                          [rp, path, busy_timeout_ms, opts,
                           done](std::vector<std::string>& wal) mutable {
                            integrity_report after;
                            if (auto err = audit_once(path, busy_timeout_ms, opts, after)) {
                              rp.deliver(err);
                              return;
                            }
                            after.repairs = std::move(*done);
                            for (auto& line : wal) after.repairs.push_back(std::move(line));
                            rp.deliver(std::move(after));
                          },
                          [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
                },
                [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
        return rp;
      },
  };
}


auditor_actor spawn_auditor(caf::actor_system& system, std::string database_path,
                            int64_t busy_timeout_ms, writer_actor writer) {
  return system.spawn<caf::detached>(auditor_behavior, std::move(database_path), busy_timeout_ms,
                                     std::move(writer));
}

}  // namespace gum
