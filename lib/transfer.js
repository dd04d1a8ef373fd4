'use strict';
// Decodes the text in which the native layer sends API results (src/value.rs
// `to_transfer_text`): one JSON document `{ v, u, h }` — the value, the paths whose value is
// `undefined` (sent as null, so keys keep their place), and the non-enumerable aliases to
// define. JSON.parse builds the objects much faster than Node-API calls would.

function at(root, path, length) {
  let node = root;
  for (let i = 0; i < length; i++) node = node[path[i]];
  return node;
}

function alias(target, name, value) {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

/** The text's value with its `undefined` values in place, and its aliases still to define. */
function parse(text) {
  const { v, u, h } = JSON.parse(text);
  if (u !== undefined) {
    for (const path of u) {
      if (path.length === 0) return { v: undefined, h: undefined };
      at(v, path, path.length - 1)[path[path.length - 1]] = undefined;
    }
  }
  return { v, h };
}

function defineAliases(v, h, valueOf) {
  if (h !== undefined) {
    // Indexed, not `for (const [path, name, value] of h)`: one paired run on Node 20 put the
    // benchmark's app at 263.0 against 266.2 us a request (within that run's noise).
    for (let i = 0; i < h.length; i++) {
      const entry = h[i];
      const path = entry[0];
      alias(at(v, path, path.length), entry[1], valueOf(entry[2]));
    }
  }
  return v;
}

const asIs = (value) => value;

function decode(text) {
  const { v, h } = parse(text);
  return defineAliases(v, h, asIs);
}

/** A deep copy of decoded data: plain objects (keys with `undefined` kept), arrays, scalars. */
function copy(v) {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const a = new Array(v.length);
    for (let i = 0; i < v.length; i++) a[i] = copy(v[i]);
    return a;
  }
  const o = {};
  for (const k in v) {
    if (k === '__proto__') Object.defineProperty(o, k, { value: copy(v[k]), writable: true, enumerable: true, configurable: true });
    else o[k] = copy(v[k]);
  }
  return o;
}

// Copies of kept decodings are made by a function compiled for their shape (keys, nesting,
// array lengths): one object literal, which V8 builds from a template. The generic copy()
// above builds each object key by key through megamorphic stores, several times slower; it
// stays for shapes too big or too many to compile, keys a literal cannot hold (`__proto__`),
// and runtimes that forbid compiling code (--disallow-code-generation-from-strings).
const MAX_SHAPES = 64;
const MAX_NODES = 512; // values of any kind, the decision's own included
const copiers = new Map();
let compiling = true;

/** Source of an expression that copies `v`, read at expression `at`; undefined past MAX_NODES
 *  or where a key cannot be written in a literal. Keys are JSON string literals, never code. */
function copySource(v, at, budget) {
  if (--budget.nodes < 0) return undefined;
  if (typeof v !== 'object' || v === null) return at;
  const parts = [];
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const part = copySource(v[i], `${at}[${i}]`, budget);
      if (part === undefined) return undefined;
      parts.push(part);
    }
    return `[${parts.join(',')}]`;
  }
  for (const k in v) {
    if (k === '__proto__') return undefined;
    const key = JSON.stringify(k);
    const part = copySource(v[k], `${at}[${key}]`, budget);
    if (part === undefined) return undefined;
    parts.push(`${key}:${part}`);
  }
  return `{${parts.join(',')}}`;
}

/** A function returning a deep copy of `v` (or of any value of the same shape). */
function copierFor(v) {
  if (!compiling) return copy;
  const source = copySource(v, 's', { nodes: MAX_NODES });
  if (source === undefined) return copy;
  let copier = copiers.get(source);
  if (copier === undefined) {
    if (copiers.size >= MAX_SHAPES) return copy;
    try {
      copier = new Function('s', `'use strict';return ${source};`);
    } catch {
      compiling = false; // code generation is forbidden here
      return copy;
    }
    copiers.set(source, copier);
  }
  return copier;
}

const MEMO_SIZE = 512;

// Copies of a kept decoding are made a few at a time: one when it is first asked for, then 2,
// 4 and BATCH at once, handed out one per call; each is still a fresh copy no caller has seen.
// Why: every copy needs Object.defineProperty for its non-enumerable aliases (a membership's
// roleSlug), a call out of compiled JavaScript into V8's C++ that costs a running Express app
// microseconds when made once per request (its code and data long out of the caches) and a
// fraction of that in a loop. Paired (apps loaded at once, CPU per request), the guards
// benchmark's app on Node 26: 73.9 us made one at a time, 69.8 us in batches, 70.6 us with no
// alias at all (the reference app 66.2 us); on Node 20, with the indexed loop in
// defineAliases, 270.4 against 263.0 us (no alias: 263.5 us; reference 255.7 us).
// Only copies compiled for a shape are made ahead (MAX_NODES values at most), and only the
// POOLS latest batches are kept: the one made POOLS batches earlier is dropped (unless its
// decoding has made one since), which bounds the copies waiting to (BATCH - 1) * POOLS.
const BATCH = 8;
const POOLS = 256;
const NONE = Object.freeze([]);
const batches = new Array(POOLS).fill(undefined);
let batchAt = 0;

/** A fresh deep copy of `known`'s decoding, aliases defined. */
const fresh = (known) => defineAliases(known.copier(known.v), known.h, copy);

/**
 * Decodings of results that come back again and again under an id (a guard's cached decision,
 * whose id Rust never gives to another text): the first decoding under an id is kept, and
 * `copyOf` makes a deep copy of it, many times faster than JSON.parse and with no text to
 * cross from Rust. Each copy is made of fresh objects, so a request that changes its
 * `req.organization` changes no other request's. At most MEMO_SIZE ids are kept; a kept
 * decoding stays valid wherever it is held after that.
 */
function decoder() {
  const memo = new Map();
  return {
    /** The decoding kept under `id`, or `undefined`. */
    kept(id) {
      return memo.get(id);
    },
    /** Decodes `text` and keeps it under `id`. The returned record has `id` and a `note`
     *  slot for whatever its holder wants to remember with it. */
    keep(id, text) {
      const { v, h } = parse(text);
      const copier = copierFor(v);
      const known = { id, v, h, copier, note: undefined, pool: NONE, batch: copier === copy ? 0 : 1, batchAt: -1 };
      if (memo.size >= MEMO_SIZE) memo.clear();
      memo.set(id, known);
      return known;
    },
  };
}

/** A fresh deep copy of a decoding `decoder().keep` returned, aliases defined. */
function copyOf(known) {
  const pool = known.pool;
  return pool.length !== 0 ? pool.pop() : batchOf(known);
}

/** Makes `known`'s next batch of copies (none ahead for one not compiled, batch 0) and
 *  returns one of them. */
function batchOf(known) {
  const n = known.batch;
  if (n <= 1) {
    if (n === 1) known.batch = 2;
    return fresh(known);
  }
  known.batch = Math.min(BATCH, n * 2);
  const pool = new Array(n - 1);
  for (let i = 0; i < n - 1; i++) pool[i] = fresh(known);
  known.pool = pool;
  // The batch made POOLS batches ago is dropped, unless its decoding has made one since.
  const dropped = batches[batchAt];
  if (dropped !== undefined && dropped.batchAt === batchAt) dropped.pool = NONE;
  batches[batchAt] = known;
  known.batchAt = batchAt;
  batchAt = (batchAt + 1) % POOLS;
  return fresh(known);
}

module.exports = { decode, decoder, copyOf, BATCH, POOLS };
