// The official SDK (@workos-inc/node 8.13.0) pointed at a local server (mock, emulator or
// overlay): anything with { hostname, port } and optionally apiKey / url.
import { WorkOS } from '@workos-inc/node';

export { WorkOS };

/** `new WorkOS(apiKey, { apiHostname, port, https: false, ...opts })` for `server`. */
export function officialClient(server, opts = {}) {
  let { hostname, port } = server;
  if ((!hostname || !port) && server.url) {
    const u = new URL(server.url);
    hostname ??= u.hostname;
    port ??= Number(u.port);
  }
  return new WorkOS(server.apiKey ?? 'sk_test_default', {
    apiHostname: hostname,
    port,
    https: false,
    ...opts,
  });
}
