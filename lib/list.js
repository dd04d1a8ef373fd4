'use strict';
// The list object paginated methods resolve to: the official AutoPaginatable's members, plus
// `Symbol.asyncIterator`. Page fetching, prefetch and the `limit` rule live in Rust
// (src/pagination.rs); this class only gives them JavaScript's iteration protocol.

const { toError } = require('./errors.js');
const { decode } = require('./transfer.js');

async function settle(promise) {
  try {
    return await promise;
  } catch (e) {
    throw toError(e);
  }
}

/** A native result sent as transfer text, decoded. */
async function settleText(promise) {
  return decode(await settle(promise));
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
    return (await settleText(native.autoPaginate(module, method, args))) ?? this.data;
  }

  /**
   * `for await (const item of list)`: every item, fetching later pages lazily. Each call makes
   * a fresh iterator (a new loop starts from the beginning); `break` closes it, which stops the
   * page being fetched ahead. Hand-written rather than an async generator: the generator's
   * per-item machinery cost several times the rest of the walk.
   */
  [Symbol.asyncIterator]() {
    const { native, module, method, args } = this.#source;
    const after = this.listMetadata?.after;
    const pager = native.pager(module, method, args, typeof after === 'string' && after ? after : undefined);
    let buffer = pager.restarts ? [] : this.data;
    let index = 0;
    let done = false;
    const finish = (value) => {
      if (!done) {
        done = true;
        buffer = [];
        pager.close();
      }
      return { done: true, value };
    };
    const refill = async () => {
      try {
        const page = decode(await pager.next());
        if (page === null) return finish(undefined);
        buffer = page;
        index = 0;
        return iterator.next();
      } catch (e) {
        finish(undefined);
        throw toError(e);
      }
    };
    const iterator = {
      next() {
        if (done) return Promise.resolve({ done: true, value: undefined });
        if (index < buffer.length) return Promise.resolve({ done: false, value: buffer[index++] });
        return refill();
      },
      return(value) {
        return Promise.resolve(finish(value));
      },
      throw(error) {
        finish(undefined);
        return Promise.reject(error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return iterator;
  }
}

module.exports = { AutoPaginatable, settle, settleText };
