'use strict';
// Rust's warm guard answers, held so that a warm request does not call into the addon at all
// (one call per request, of any kind, cost the guards benchmark's Express app 6-8 % of its
// throughput). Nothing is decided here: an answer is held as Rust gave it, stamped with the
// generation of Rust's board read before Rust was asked, for as long as Rust said it stands.
// Rust advances the generation after every invalidation (src/guards/board.rs), so an answer
// held from before one is asked of Rust again.
//
// Answers sit in a fixed table, in one of the two slots a hash of their two keys (read a
// character at a time) points to, and are checked against both keys. Not a Map: the keys are
// fresh strings from each request's headers, and V8 in Node 26 looks a string used as a Map key
// up in the isolate's whole string table (Runtime_InternalizeString), which was a quarter of
// requireOrganization's time in the benchmark's app there.
//
// An answer's time is kept by a timer (unref'd, so it keeps no process alive) that empties its
// slot when Rust's time runs out, not by reading the clock on every request: dropping the two
// Date.now() calls a request took the benchmark's app on Node 26 from 0.895x to 0.91-0.93x of
// the reference app (paired). A timer counts monotonic time (a wall clock set back cannot
// stretch an answer); it fires at the first turn of the event loop after its time, or up to a
// turn early (libuv counts from the loop's cached time), which only shortens the answer. An
// answer replaced in its slot has its timer cleared, so at most SLOTS timers are pending.

const SLOTS = 8192; // a power of two: at most this many answers are held

const PRIME = 0x01000193;

/** setTimeout's longest delay; a longer time is cut to it (the answer is asked again sooner). */
const MAX_DELAY_MS = 0x7fffffff;

/** FNV-1a over a key's characters (a string), or over the key itself (a number: a gate). */
function hashOf(key) {
  let h = 0x811c9dc5;
  if (typeof key === 'number') return Math.imul(h ^ key, PRIME);
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), PRIME);
  return h;
}

/** The slot of two key hashes (the other slot of the pair is `slot ^ 1`). */
function slotFor(ha, hb) {
  const h = Math.imul(ha ^ (ha >>> 16), 0x9e3779b1) ^ hb;
  return (h ^ (h >>> 15)) & (SLOTS - 1);
}

/** The first of the two slots of (a, b). Any three pairs may share their slots; the oldest
 *  answer then makes room. */
const slotOf = (a, b) => slotFor(hashOf(a), hashOf(b));

/** hashOf with a memory of the last key: one organization's id comes again and again, and
 *  comparing it costs less than hashing it. Same results as hashOf. */
function rememberingHash() {
  let last;
  let lastHash = 0;
  return (key) => {
    if (key !== last) {
      lastHash = hashOf(key);
      last = key;
    }
    return lastHash;
  };
}

const usable = (a, b) => typeof a === 'string' && (typeof b === 'string' || typeof b === 'number');

/**
 * Answers keyed by two keys (a user and an organization: strings; an organization and a gate: a
 * string and a number). `board` is Rust's one-word view, or `null` where the runtime could not
 * share it: then nothing is held and every request asks Rust.
 */
function leases(board) {
  const slots = new Array(SLOTS).fill(undefined);
  const hashA = rememberingHash();
  const hashB = rememberingHash();
  const slotOfPair = (a, b) => slotFor(hashA(a), hashB(b));
  let held = 0; // answers held so far: the order of the slots' answers
  const expire = (slot, lease) => {
    if (slots[slot] === lease) slots[slot] = undefined;
  };
  return {
    /** The generation to stamp an answer with: read it before asking Rust. */
    generation() {
      return board === null ? undefined : board[0];
    },
    /** The answer held for (a, b), if its generation is the board's and its time has not run out. */
    get(a, b) {
      if (board === null || !usable(a, b)) return undefined;
      const slot = slotOfPair(a, b);
      let lease = slots[slot];
      if (lease === undefined || lease.a !== a || lease.b !== b) {
        lease = slots[slot ^ 1];
        if (lease === undefined || lease.a !== a || lease.b !== b) return undefined;
      }
      return lease.generation === board[0] ? lease.answer : undefined;
    },
    /** Holds Rust's `answer` for (a, b), given under `generation`, for `validForMs`. */
    hold(a, b, generation, answer, validForMs) {
      if (generation === undefined || generation !== board[0] || !(validForMs > 0) || !usable(a, b)) return;
      const first = slotOfPair(a, b);
      const one = slots[first];
      const two = slots[first ^ 1];
      const mine = (lease) => lease === undefined || (lease.a === a && lease.b === b);
      // Its own slot or a free one; failing both, the one whose answer was held first.
      const slot = mine(one) ? first : mine(two) || two.order < one.order ? first ^ 1 : first;
      const replaced = slots[slot];
      if (replaced !== undefined) clearTimeout(replaced.timer);
      const lease = { a, b, answer, generation, order: ++held, timer: undefined };
      lease.timer = setTimeout(expire, Math.min(validForMs, MAX_DELAY_MS), slot, lease);
      lease.timer.unref?.();
      slots[slot] = lease;
    },
  };
}

module.exports = { leases, slotOf, SLOTS };
