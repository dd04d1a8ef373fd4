// lib/leases.js: how JavaScript holds Rust's warm guard answers. The board is faked here (a
// Uint32Array standing for Rust's generation word) and Date.now is mocked; the guards suite
// covers the real board (guards.test.mjs, "a warm request makes no native call").

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const { leases } = require('../lib/leases.js');

function clock(t) {
  let now = 1_000_000;
  t.mock.method(Date, 'now', () => now);
  return { set: (ms) => (now = ms), add: (ms) => (now += ms) };
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

test('a wall clock set back does not stretch an answer', (t) => {
  const time = clock(t);
  const held = leases(new Uint32Array(1));
  held.hold('user', 'org', held.generation(), 7, 1000);
  time.add(-1);
  assert.equal(held.get('user', 'org'), undefined);
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

test('the number of answers held is bounded: past it, they are all let go', (t) => {
  clock(t);
  const held = leases(new Uint32Array(1));
  for (let i = 0; i < 4096; i++) held.hold(`user_${i}`, 'org', held.generation(), i, 60_000);
  assert.equal(held.get('user_0', 'org'), 0);
  assert.equal(held.get('user_4095', 'org'), 4095);
  held.hold('user_0', 'org', held.generation(), 'again', 60_000); // replaces, does not add
  assert.equal(held.get('user_4095', 'org'), 4095);
  held.hold('one_more', 'org', held.generation(), 'new', 60_000);
  assert.equal(held.get('user_4095', 'org'), undefined);
  assert.equal(held.get('one_more', 'org'), 'new');
});
