// lib/leases.js: how JavaScript holds Rust's warm guard answers. The board is faked here (a
// Uint32Array standing for Rust's generation word) and the timers are mocked; the guards suite
// covers the real board (guards.test.mjs, "a warm request makes no native call").

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const { leases, slotOf, SLOTS } = require('../lib/leases.js');

/** node:test's mock timers: `add(ms)` moves their time on. */
function clock(t) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  return { add: (ms) => t.mock.timers.tick(ms) };
}

/** setTimeout and clearTimeout replaced by a registry of the pending timers. */
function registry(t) {
  const pending = new Set();
  t.mock.method(globalThis, 'setTimeout', (fn, ms, ...args) => {
    const timer = { ms, refed: true, fire: () => (pending.delete(timer), fn(...args)), unref: () => ((timer.refed = false), timer) };
    pending.add(timer);
    return timer;
  });
  t.mock.method(globalThis, 'clearTimeout', (timer) => pending.delete(timer));
  return pending;
}

test('an answer is held until the time Rust gave runs out', (t) => {
  const time = clock(t);
  const board = new Uint32Array(1);
  const held = leases(board);
  held.hold('user', 'org', held.generation(), 7, 1000);
  assert.equal(held.get('user', 'org'), 7);
  assert.equal(held.get('user', 'other'), undefined);
  assert.equal(held.get('other', 'org'), undefined);
  time.add(999);
  assert.equal(held.get('user', 'org'), 7);
  time.add(1);
  assert.equal(held.get('user', 'org'), undefined, 'gone at the deadline');
});

test('an answer dies when Rust advances the board, and one given under an old generation is not held', (t) => {
  clock(t);
  const board = new Uint32Array([41]);
  const held = leases(board);
  const before = held.generation();
  held.hold('user', 'org', before, 7, 60_000);
  board[0]++; // an invalidation
  assert.equal(held.get('user', 'org'), undefined);
  // Rust was asked before the invalidation and answered after: the answer is not held.
  held.hold('user', 'org', before, 8, 60_000);
  assert.equal(held.get('user', 'org'), undefined);
  held.hold('user', 'org', held.generation(), 9, 60_000);
  assert.equal(held.get('user', 'org'), 9);
  // The word wraps around like Rust's u32.
  board[0] = 0xffffffff;
  held.hold('user', 'org', held.generation(), 10, 60_000);
  board[0]++;
  assert.equal(board[0], 0);
  assert.equal(held.get('user', 'org'), undefined);
});

test('the time is the timers\', not the wall clock\'s: setting the clock back or on changes nothing', (t) => {
  const time = clock(t);
  let wall = 1_000_000;
  t.mock.method(Date, 'now', () => wall);
  const held = leases(new Uint32Array(1));
  held.hold('user', 'org', held.generation(), 7, 1000);
  wall -= 3_600_000;
  assert.equal(held.get('user', 'org'), 7);
  wall += 7_200_000;
  assert.equal(held.get('user', 'org'), 7);
  time.add(1000);
  assert.equal(held.get('user', 'org'), undefined);
});

test('each answer has one timer, unref\'d and cleared when the answer is replaced: at most SLOTS pending', (t) => {
  const pending = registry(t);
  const held = leases(new Uint32Array(1));
  held.hold('user', 'org', held.generation(), 1, 60_000);
  held.hold('user', 'org', held.generation(), 2, 60_000);
  assert.equal(pending.size, 1, 'the first answer\'s timer was cleared');
  const [timer] = pending;
  assert.equal(timer.refed, false, 'a held answer keeps no process alive');
  assert.equal(timer.ms, 60_000);
  timer.fire();
  assert.equal(held.get('user', 'org'), undefined, 'its timer ends the answer');
  // A time past setTimeout's longest delay (which Node would cut to 1 ms) is cut to that delay.
  held.hold('user', 'org', held.generation(), 3, 2 ** 40);
  assert.equal([...pending].at(-1).ms, 0x7fffffff);
  assert.equal(held.get('user', 'org'), 3);
  for (let i = 0; i < SLOTS * 3; i++) held.hold(`user_${i}`, 'org', held.generation(), i, 60_000);
  assert.ok(pending.size <= SLOTS, `${pending.size} timers pending`);
});

test('nothing is held without a board, for no time, or for a time that is not a number', (t) => {
  clock(t);
  const none = leases(null);
  assert.equal(none.generation(), undefined);
  none.hold('user', 'org', none.generation(), 7, 60_000);
  assert.equal(none.get('user', 'org'), undefined);
  const held = leases(new Uint32Array(1));
  for (const validForMs of [0, -5, NaN, undefined]) {
    held.hold('user', 'org', held.generation(), 7, validForMs);
    assert.equal(held.get('user', 'org'), undefined, String(validForMs));
  }
});

test('pairs that share their two slots keep the two answers held last; no pair answers for another', (t) => {
  clock(t);
  const held = leases(new Uint32Array(1));
  // Three users whose (user, 'org') pairs point to the same two slots.
  const pairOf = (user) => slotOf(user, 'org') & ~1;
  const users = [];
  for (let i = 0; users.length < 3; i++) {
    const user = `user_${i}`;
    if (users.length === 0 || pairOf(user) === pairOf(users[0])) users.push(user);
  }
  const [first, second, third] = users;
  held.hold(first, 'org', held.generation(), 'first', 60_000);
  held.hold(second, 'org', held.generation(), 'second', 60_000);
  assert.equal(held.get(first, 'org'), 'first');
  assert.equal(held.get(second, 'org'), 'second');
  held.hold(third, 'org', held.generation(), 'third', 60_000); // takes the slot held first
  assert.equal(held.get(first, 'org'), undefined);
  assert.equal(held.get(second, 'org'), 'second');
  assert.equal(held.get(third, 'org'), 'third');
  held.hold(second, 'org', held.generation(), 'second again', 60_000); // replaces its own
  assert.equal(held.get(third, 'org'), 'third');
  assert.equal(held.get(second, 'org'), 'second again');
  // Same slots, other keys: never an answer.
  assert.equal(held.get(second, 'org2'), undefined);
  assert.equal(held.get(`${second}x`, 'org'), undefined);
});

test('a gate (a number) is a key too; keys of other types are never held', (t) => {
  clock(t);
  const held = leases(new Uint32Array(1));
  held.hold('org_1', 3, held.generation(), true, 60_000);
  assert.equal(held.get('org_1', 3), true);
  assert.equal(held.get('org_1', 4), undefined);
  assert.equal(held.get('org_1', '3'), undefined);
  for (const [a, b] of [[undefined, 'org'], ['user', undefined], [null, 1], [{}, 'org'], [7, 'org']]) {
    held.hold(a, b, held.generation(), 'x', 60_000);
    assert.equal(held.get(a, b), undefined, `${typeof a}, ${typeof b}`);
  }
});

test('at most SLOTS answers are held, however many pairs come', (t) => {
  clock(t);
  const held = leases(new Uint32Array(1));
  const n = SLOTS * 3;
  for (let i = 0; i < n; i++) held.hold(`user_${i}`, 'org', held.generation(), i, 60_000);
  let kept = 0;
  for (let i = 0; i < n; i++) if (held.get(`user_${i}`, 'org') === i) kept++;
  assert.ok(kept <= SLOTS, `${kept} held`);
  assert.ok(kept > SLOTS / 2, `${kept} held`); // the table is used, not cleared
  assert.equal(held.get(`user_${n - 1}`, 'org'), n - 1); // the latest is always held
});
