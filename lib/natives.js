'use strict';
// The native client behind each WorkOS instance, kept out of every public object.

const natives = new WeakMap();

/** The native client of a WorkOS instance, or of one of its modules (`workos.organizations`…). */
function nativeOf(workosOrModule) {
  return natives.get(workosOrModule) ?? natives.get(workosOrModule?.workos);
}

module.exports = { natives, nativeOf };
