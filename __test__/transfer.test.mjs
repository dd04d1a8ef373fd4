// lib/transfer.js: how native results are decoded, and the decoder the guards keep cached
// decisions in (a copy of the first decoding under an id, never the same objects twice).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';

const { decode, decoder, copyOf, BATCH, POOLS } = createRequire(import.meta.url)('../lib/transfer.js');

// As src/value.rs writes it: `undefined` values listed by path in `u`, aliases in `h`.
const TEXT = JSON.stringify({
  v: {
    allow: true,
    membership: { id: 'om_1', role: { slug: 'admin' }, roles: [{ slug: 'admin' }, { slug: 'owner' }], extra: null, gone: null },
    organization: { id: 'org_1', domains: [{ id: 'd_1' }], metadata: { ['__proto__']: { polluted: true }, tier: 'pro' } },
  },
  u: [['membership', 'gone']],
  h: [[['membership'], 'roleSlug', 'admin'], [['organization', 'domains', 0], 'alias', { nested: [1, 2] }]],
});

function checkShape(d) {
  assert.equal(d.membership.roleSlug, 'admin');
  assert.equal(Object.keys(d.membership).includes('roleSlug'), false, 'aliases are not enumerable');
  assert.ok(Object.hasOwn(d.membership, 'gone') && d.membership.gone === undefined, 'undefined values keep their key');
  assert.equal(d.membership.extra, null);
  assert.deepEqual(d.organization.domains[0].alias, { nested: [1, 2] });
  assert.ok(Object.hasOwn(d.organization.metadata, '__proto__'), '__proto__ stays an own key');
  assert.equal(Object.getPrototypeOf(d.organization.metadata), Object.prototype, 'no prototype was set');
  assert.equal({}.polluted, undefined);
}

test('decode applies undefined paths and non-enumerable aliases', () => {
  checkShape(decode(TEXT));
  assert.equal(decode('{"v":null,"u":[[]]}'), undefined);
});

test('a decoding kept under an id is copied: equal but fresh objects every time', () => {
  const decisions = decoder();
  assert.equal(decisions.kept(7), undefined, 'nothing kept yet');
  const kept = decisions.keep(7, TEXT);
  assert.equal(decisions.kept(7), kept);
  assert.equal(kept.id, 7);
  const first = copyOf(kept);
  const second = copyOf(decisions.kept(7));
  checkShape(first);
  checkShape(second);
  assert.deepStrictEqual(second, decode(TEXT));
  assert.notEqual(first, second);
  assert.notEqual(first.membership, second.membership);
  assert.notEqual(first.membership.roles, second.membership.roles);
  assert.notEqual(first.organization.domains[0].alias, second.organization.domains[0].alias);
  first.membership.role.slug = 'member';
  first.organization.metadata.tier = 'free';
  first.membership.roles.push({ slug: 'x' });
  const third = copyOf(kept);
  assert.equal(third.membership.role.slug, 'admin', 'a change to one copy is not seen by the next');
  assert.equal(third.organization.metadata.tier, 'pro');
  assert.equal(third.membership.roles.length, 2);
  assert.equal(decisions.kept(8), undefined);
});

test('the decoder keeps at most 512 ids; a record held past that still copies', () => {
  const decisions = decoder();
  const held = decisions.keep('t', TEXT);
  for (let i = 0; i < 2000; i++) {
    assert.equal(copyOf(decisions.keep(i, JSON.stringify({ v: { i } }))).i, i);
    assert.equal(copyOf(decisions.kept(i)).i, i);
  }
  assert.equal(decisions.kept('t'), undefined, 'forgotten by the decoder');
  assert.ok(decisions.kept(0) === undefined && decisions.kept(1999) !== undefined);
  checkShape(copyOf(held));
});

// Kept decodings are copied by a function compiled for their shape (lib/transfer.js copierFor);
// TEXT above, with its `__proto__` key, takes the generic copy instead.
const COMPILED = JSON.stringify({
  v: {
    allow: true,
    membership: { id: 'om_1', role: { slug: 'admin' }, roles: [{ slug: 'admin' }, { slug: 'owner' }], gone: null, directoryManaged: false },
    organization: {
      id: 'org_1',
      domains: [{ id: 'd_1', state: 'verified' }, 'odd'],
      metadata: { 'quote"d': 'a\\b', '1': 'one', 'line\u2028sep': 2, '${x}': '`', "');throw 1;('": null },
      empty: [],
      nested: [[1, [2, { deep: true }]]],
    },
  },
  u: [['membership', 'gone']],
  h: [[['membership'], 'roleSlug', 'admin']],
});

test('a compiled copy is equal to a fresh decoding, with fresh objects and the same key order', () => {
  const decisions = decoder();
  const kept = decisions.keep('c', COMPILED);
  for (const copy of [copyOf(kept), copyOf(kept), copyOf(decisions.kept('c'))]) {
    assert.deepStrictEqual(copy, decode(COMPILED));
    assert.deepEqual(Object.keys(copy.organization.metadata), Object.keys(decode(COMPILED).organization.metadata));
    assert.ok(Object.hasOwn(copy.membership, 'gone') && copy.membership.gone === undefined, 'undefined values keep their key');
    assert.equal(copy.membership.roleSlug, 'admin');
    assert.equal(Object.keys(copy.membership).includes('roleSlug'), false);
  }
  const second = copyOf(kept);
  second.organization.nested[0][1][1].deep = false;
  second.organization.domains[0].state = 'x';
  second.organization.empty.push(1);
  second.membership.roles.pop();
  const third = copyOf(kept);
  assert.equal(third.organization.nested[0][1][1].deep, true, 'nested arrays and objects are copied, not shared');
  assert.equal(third.organization.domains[0].state, 'verified');
  assert.deepEqual(third.organization.empty, []);
  assert.equal(third.membership.roles.length, 2);
});

test('decodings of one shape share a compiled copy; each copies its own values', () => {
  const decisions = decoder();
  const text = (i) => JSON.stringify({ v: { allow: true, membership: { id: `om_${i}`, n: i, role: { slug: i % 2 ? 'admin' : 'owner' } } } });
  for (let i = 0; i < 100; i++) decisions.keep(i, text(i));
  for (let i = 0; i < 100; i++) assert.deepStrictEqual(copyOf(decisions.kept(i)), decode(text(i)));
});

test('copies made ahead are fresh: none shares an object with another, a change to one is seen by none after it', () => {
  const kept = decoder().keep('ahead', COMPILED);
  const seen = new Set();
  for (let i = 0; i < 5 * BATCH; i++) {
    const copy = copyOf(kept);
    assert.deepStrictEqual(copy, decode(COMPILED), `copy ${i}`);
    for (const o of [copy, copy.membership, copy.membership.role, copy.membership.roles, copy.organization, copy.organization.domains[0]]) {
      assert.ok(!seen.has(o), `copy ${i} shares an object with an earlier one`);
      seen.add(o);
    }
    assert.equal(Object.keys(copy.membership).includes('roleSlug'), false);
    // Changed at once: the copies made ahead with it must not see it.
    copy.membership.role.slug = 'member';
    copy.membership.roleSlug = 'member';
    copy.organization.domains[0].state = 'changed';
  }
  assert.ok(kept.pool.length > 0, 'copies were made ahead');
});

test('copies are made ahead only for the latest POOLS batches, at most BATCH - 1 waiting in each', () => {
  const decisions = decoder();
  const text = (i) => JSON.stringify({ v: { allow: true, membership: { id: `om_${i}`, role: { slug: 'admin' } } }, h: [[['membership'], 'roleSlug', 'admin']] });
  const kept = Array.from({ length: POOLS * 2 + 10 }, (_, i) => decisions.keep(`p${i}`, text(i)));
  for (let round = 0; round < 3; round++) {
    for (const [i, k] of kept.entries()) {
      for (let n = 0; n < BATCH; n++) {
        const copy = copyOf(k);
        assert.equal(copy.membership.id, `om_${i}`);
        assert.equal(copy.membership.roleSlug, 'admin');
      }
    }
    const waiting = kept.filter((k) => k.pool.length > 0);
    assert.ok(waiting.length <= POOLS, `${waiting.length} decodings hold copies made ahead`);
    assert.ok(kept.every((k) => k.pool.length < BATCH));
    if (kept.at(-1).pool.length === 0) copyOf(kept.at(-1));
    assert.equal(kept.at(-1).pool.length, BATCH - 1, 'the latest batch waits');
  }
  // A decoding whose batch was dropped copies on as before.
  assert.equal(kept[0].pool.length, 0);
  assert.deepStrictEqual(copyOf(kept[0]), decode(text(0)));
});

test("a decoding's waiting copies are dropped POOLS batches after its latest batch, not after an earlier one", () => {
  const decisions = decoder();
  const text = (i) => JSON.stringify({ v: { allow: true, membership: { id: `om_${i}`, role: { slug: 'admin' } } }, h: [[['membership'], 'roleSlug', 'admin']] });
  const hot = decisions.keep('hot', text(0));
  for (let i = 0; i < 1 + 2 + 4 + 1; i++) copyOf(hot); // batches of 2, 4, then 8: three made
  assert.equal(hot.pool.length, BATCH - 1);
  // One batch from each other decoding (its first copy is made alone, its second starts a batch).
  const others = Array.from({ length: POOLS }, (_, i) => decisions.keep(`o${i}`, text(i + 1)));
  const batchOnce = (k) => {
    copyOf(k);
    copyOf(k);
  };
  for (const k of others.slice(0, POOLS - 1)) batchOnce(k);
  assert.equal(hot.pool.length, BATCH - 1, 'its two earlier batches are past, its latest is not');
  batchOnce(others[POOLS - 1]);
  assert.equal(hot.pool.length, 0, 'POOLS batches after its latest, its copies are dropped');
  assert.deepStrictEqual(copyOf(hot), decode(text(0)));
});

test('where compiling code is forbidden, kept decodings are still copied', () => {
  const script = `
    const { decoder, copyOf } = require(${JSON.stringify(new URL('../lib/transfer.js', import.meta.url).pathname)});
    const kept = decoder().keep(1, ${JSON.stringify(COMPILED)});
    const a = copyOf(kept), b = copyOf(kept);
    b.membership.role.slug = 'member';
    process.stdout.write(JSON.stringify([a.membership.role.slug, copyOf(kept).membership.role.slug, a !== b, a.membership.roleSlug]));
  `;
  const out = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), ['admin', 'admin', true, 'admin']);
});

test('a decision too big to compile a copy for (5,000 metadata values) is copied all the same', () => {
  const metadata = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i % 2 ? `v${i}` : null]));
  const text = JSON.stringify({ v: { allow: true, organization: { id: 'org_1', metadata } } });
  const kept = decoder().keep(1, text);
  const [a, b] = [copyOf(kept), copyOf(kept)];
  assert.deepStrictEqual(a, decode(text));
  a.organization.metadata.k1 = 'changed';
  assert.equal(b.organization.metadata.k1, 'v1');
  assert.equal(copyOf(kept).organization.metadata.k1, 'v1');
  for (let i = 0; i < 20; i++) copyOf(kept);
  assert.equal(kept.pool.length, 0, 'no copy of it is made ahead');
});
