// lib/transfer.js: how native results are decoded, and the decoder the guards keep cached
// decisions in (a copy of the first decoding under an id, never the same objects twice).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const { decode, decoder } = createRequire(import.meta.url)('../lib/transfer.js');

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
  assert.equal(decisions.copyOf(7), undefined, 'nothing kept yet');
  const first = decisions.keep(7, TEXT);
  const second = decisions.copyOf(7);
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
  const third = decisions.copyOf(7);
  assert.equal(third.membership.role.slug, 'admin', 'a change to one copy is not seen by the next');
  assert.equal(third.organization.metadata.tier, 'pro');
  assert.equal(third.membership.roles.length, 2);
  assert.equal(decisions.copyOf(8), undefined);
});

test('the decoder stays correct past the number of ids it keeps (512)', () => {
  const decisions = decoder();
  for (let i = 0; i < 2000; i++) {
    assert.equal(decisions.keep(i, JSON.stringify({ v: { i } })).i, i);
    assert.equal(decisions.copyOf(i).i, i);
  }
  checkShape(decisions.keep('t', TEXT));
  checkShape(decisions.copyOf('t'));
});
