'use strict';
// Rust's warm guard answers, held so that a warm request does not call into the addon at all
// (one call per request, of any kind, cost the guards benchmark's Express app 6-8 % of its
// throughput). Nothing is decided here: an answer is held as Rust gave it, stamped with the
// generation of Rust's board read before Rust was asked, and with the time Rust said it stands
// until. Rust advances the generation after every invalidation (src/guards/board.rs), so an
// answer held from before one is asked of Rust again.

const MAX_HELD = 4096;

/**
 * Answers keyed by two keys (a user and an organization; an organization and a gate).
 * `board` is Rust's one-word view, or `null` where the runtime could not share it: then
 * nothing is held and every request asks Rust.
 */
function leases(board) {
  let held = new Map();
  let count = 0;
  return {
    /** The generation to stamp an answer with: read it before asking Rust. */
    generation() {
      return board === null ? undefined : board[0];
    },
    /** The answer held for (a, b), if its generation is the board's and its time has not run out. */
    get(a, b) {
      const lease = held.get(a)?.get(b);
      if (lease === undefined || lease.generation !== board[0]) return undefined;
      const now = Date.now();
      // A wall clock set back is not trusted to measure what is left.
      return now < lease.until && now >= lease.since ? lease.answer : undefined;
    },
    /** Holds Rust's `answer` for (a, b), given under `generation`, for `validForMs`. */
    hold(a, b, generation, answer, validForMs) {
      if (generation === undefined || generation !== board[0] || !(validForMs > 0)) return;
      let inner = held.get(a);
      if (inner === undefined || !inner.has(b)) {
        if (count >= MAX_HELD) {
          held = new Map();
          count = 0;
          inner = undefined;
        }
        count++;
      }
      if (inner === undefined) held.set(a, (inner = new Map()));
      const since = Date.now();
      inner.set(b, { answer, generation, since, until: since + validForMs });
    },
  };
}

module.exports = { leases };
