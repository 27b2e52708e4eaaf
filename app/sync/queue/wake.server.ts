// Wakes the idle SQLite workers of this process when a job is enqueued here (other processes poll).
// A module of its own so that queue.server.ts can wake them without loading the SQLite backend.
import { EventEmitter } from "node:events";

export const nudges = new EventEmitter();
nudges.setMaxListeners(0);

/** Timed wake-ups are rounded up to this step, so a burst of enqueues shares a few timers. */
const WAKE_STEP_MS = 25;
const pendingWakes = new Map<number, NodeJS.Timeout>();

/** Now, or when a job enqueued to run later becomes due (instead of at the next poll). */
export function wake(at?: Date): void {
  const now = Date.now();
  const due = at ? Math.ceil(at.getTime() / WAKE_STEP_MS) * WAKE_STEP_MS : now;
  if (due <= now) {
    nudges.emit("job");
    return;
  }
  if (pendingWakes.has(due)) return;
  const timer = setTimeout(() => {
    pendingWakes.delete(due);
    nudges.emit("job");
  }, due - now);
  timer.unref();
  pendingWakes.set(due, timer);
}
