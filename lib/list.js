'use strict';
// The list object paginated methods resolve to: the official AutoPaginatable's members, plus
// `Symbol.asyncIterator`. Page fetching, prefetch and the `limit` rule live in Rust
// (src/pagination.rs); this class only gives them JavaScript's iteration protocol.

const { toError } = require('./errors.js');

async function settle(promise) {
  try {
    return await promise;
  } catch (e) {
    throw toError(e);
  }
}

class AutoPaginatable {
  object = 'list';
  options;
  #source;

  /** @internal `source` = { native, module, method, args } of the call that made the list. */
  constructor(list, source, options) {
    this.list = list;
    this.options = options ?? {};
    this.#source = source;
  }

  get data() {
    return this.list.data;
  }

  get listMetadata() {
    return this.list.listMetadata;
  }

  /** Every item across all pages (or the first page when `limit` was given), as one array. */
  async autoPagination() {
    const { native, module, method, args } = this.#source;
    return (await settle(native.autoPaginate(module, method, args))) ?? this.data;
  }

  /** `for await (const item of list)`: every item, fetching later pages lazily. */
  async *[Symbol.asyncIterator]() {
    const { native, module, method, args } = this.#source;
    const after = this.listMetadata?.after;
    const pager = native.pager(module, method, args, typeof after === 'string' && after ? after : undefined);
    try {
      if (!pager.restarts) yield* this.data;
      for (let page; (page = await settle(pager.next())) !== null; ) yield* page;
    } finally {
      pager.close();
    }
  }
}

module.exports = { AutoPaginatable, settle };
