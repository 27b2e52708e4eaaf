// Preloaded (`--require`) into the Prisma CLI by tools/db/check-migrations.ts for `prisma db push`.
// Prisma 6.19's WebAssembly schema engine starts timers for its operations (60 s on SQLite, 10 s on
// PostgreSQL) and does not clear them when the operation ends, so `db push` printed its answer in
// under half a second and then held the process for a minute (seen with a stack at the timers'
// creation: `rlt` in prisma/build/index.js, called from the engine's wasm). Such timers are unref'd: they still fire if the process is running
// anyway, but they no longer keep it alive. No setting of the CLI does this (its update check,
// CHECKPOINT_DISABLE, is not the cause). If an operation were cut short by it, `db push` would not
// print "already in sync", and the check would fail rather than pass. Only the drift check loads it.
"use strict";
const LONG_TIMER_MS = 10_000;
const originalSetTimeout = global.setTimeout;
global.setTimeout = function setTimeoutUnrefLong(callback, delay, ...args) {
  const timer = originalSetTimeout.call(this, callback, delay, ...args);
  if (Number(delay) >= LONG_TIMER_MS && typeof timer?.unref === "function") timer.unref();
  return timer;
};
