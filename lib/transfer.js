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

function decode(text) {
  const { v, u, h } = JSON.parse(text);
  if (u !== undefined) {
    for (const path of u) {
      if (path.length === 0) return undefined;
      at(v, path, path.length - 1)[path[path.length - 1]] = undefined;
    }
  }
  if (h !== undefined) {
    for (const [path, name, value] of h) {
      Object.defineProperty(at(v, path, path.length), name, { value, writable: true, configurable: true, enumerable: false });
    }
  }
  return v;
}

module.exports = { decode };
