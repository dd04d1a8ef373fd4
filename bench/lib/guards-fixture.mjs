// What bench/guards.mjs's API, apps and load generator agree on, shared with
// bench/tools/guards-ab.mjs so that its requests are the ones the apps serve.

export const ORG = 'org_01BENCH0000000000000000000';
export const MEMBERS = 100;
export const PATH = '/api/advanced-analytics';
export const userId = (i) => `user_01BENCH${String(i).padStart(19, '0')}`;

/** One keep-alive request per member, as raw HTTP/1.1 bytes for an app listening on `port`. */
export const requestsFor = (port) =>
  Array.from({ length: MEMBERS }, (_, i) =>
    Buffer.from(`GET ${PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nx-user-id: ${userId(i)}\r\nx-organization-id: ${ORG}\r\nConnection: keep-alive\r\n\r\n`),
  );
