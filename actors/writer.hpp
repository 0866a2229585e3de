// actors/writer.hpp: the single writer actor of a process.
//
// Why one writer: SQLite allows one writer at a time per database anyway. Funnelling every
// write of a process through one actor turns many small writes into one BEGIN IMMEDIATE
// transaction (one fsync, one lock acquisition) instead of contending for the lock with
// ourselves, and it gives one place where "reply only after commit" is enforced.
//
// Batching: a batch is committed when it holds `batch_size` writes, or `flush_interval_ms`
// after its first write (0: as soon as the writer has drained its mailbox, which is group
// commit for a one-shot CLI process), on a flush request, and on shutdown. Each write runs in
// its own savepoint, so one failing write is answered with its error and the rest still commit.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "actors/interfaces.hpp"
#include "storage/database.hpp"

namespace gum {

struct writer_options {
  int batch_size = 512;
  int flush_interval_ms = 0;
  int commit_delay_ms = 0;  ///< testing hook: sleep inside the transaction before COMMIT
  int64_t fixed_now = 0;    ///< testing hook (GUM_TEST_NOW): a refresh's timestamp; 0: the clock
};

/// One accepted write: how to apply it inside the batch transaction, and how to answer.
struct pending_write {
  std::function<void(storage::database&)> apply;
  std::function<void()> deliver;
  std::function<void(const caf::error&)> fail;
};

/// The writer's data: its connection, options and the batch being collected.
struct writer_state {
  static inline const char* name = "gum.writer";
  std::shared_ptr<storage::database> db;
  writer_options options;
  std::vector<pending_write> batch;
  uint64_t generation = 0;
  bool tick_scheduled = false;
  int64_t committed = 0;
};

using writer_pointer = writer_actor::stateful_pointer<writer_state>;

/// The writer's behaviour: each write request joins the batch, answered after its COMMIT.
/// @param self the writer  @param db its opened connection  @param options batching
writer_actor::behavior_type writer_behavior(writer_pointer self,
                                            std::shared_ptr<storage::database> db,
                                            writer_options options);

/// Spawns the writer (detached: it blocks on SQLite) on an already opened connection.
writer_actor spawn_writer(caf::actor_system& system, std::shared_ptr<storage::database> db,
                          writer_options options);

}  // namespace gum
