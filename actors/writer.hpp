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

#include <memory>

#include "actors/interfaces.hpp"
#include "storage/database.hpp"

namespace gum {

struct writer_options {
  int batch_size = 512;
  int flush_interval_ms = 0;
  int commit_delay_ms = 0;  ///< testing hook: sleep inside the transaction before COMMIT
};

/// Spawns the writer (detached: it blocks on SQLite) on an already opened connection.
writer_actor spawn_writer(caf::actor_system& system, std::shared_ptr<storage::database> db,
                          writer_options options);

}  // namespace gum
