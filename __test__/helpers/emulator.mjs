// WorkOS's local emulator (npm `workos` 0.14.0, `workos/emulate`) started in-process, plus an
// overlay proxy that serves what the emulator lacks.
//
//   const emu = await startEmulator({ seed });      // emu.url, emu.port, emu.apiKey, emu.ids
//   const overlay = await startOverlay(emu);        // or startOverlay(emu.url)
//   const workos = officialClient(overlay);         // see official.mjs
//
// Seeding. The emulator's own seed can neither give ids nor link memberships to seeded users
// (user ids are generated, memberships take a literal `user_id`), and it has no feature flags
// or organization API keys. So startEmulator passes only `apiKeys` to createEmulator and seeds
// everything else straight into the emulator's in-memory store (captured while
// createEmulator builds it). References between seeded records may use ids, names, emails or
// external ids. Ids not given are generated once and reused by reset(). Seeded records get
// created_at = (start time - N ms) + their index, so their order is the seed order and every
// record created later through the API is newer.
//
// Seed format (every key optional):
//   {
//     apiKeys: { sk_test_default: { environment: 'test' } },   // keys the emulator accepts
//     users: [{ id?, email, first_name?, last_name?, email_verified?, password?, external_id?, metadata? }],
//     organizations: [{ id?, name, external_id?, metadata?, stripe_customer_id?,
//                       domains?: [{ domain, state?: 'pending'|'verified' } | 'a.com'],
//                       memberships?: [{ id?, user: ref, role?: 'member', roles?: ['a','b'], status?: 'active'|'inactive'|'pending' }] }],
//     memberships: [{ id?, organization: ref, user: ref, role?, roles?, status? }],
//     invitations: [{ id?, email, organization?: ref, inviter?: ref, role_slug?, state?, token?, expires_at? }],
//     featureFlags: [{ id?, slug, name?, description?, tags?, enabled?: true, default_value?: false,
//                      organizations?: [ref], users?: [ref] }],            // targets with value true
//     organizationApiKeys: [{ id?, organization: ref, name, permissions?: [], value?, expires_at? }],
//     permissions: [{ slug, name, description? }],                          // emulator-native
//     roles: [{ slug, name, description?, type?, organization?: ref, permissions?: [slug] }],
//     connections: [...], webhookEndpoints: [...],                          // emulator-native
//   }
// (`user_id`/`organization_id`/`inviter_user_id` are accepted in place of `user`/`organization`/`inviter`.)

import http from 'node:http';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createEmulator } from 'workos/emulate';
import { readBody, recordRequest, paginate } from './mock-server.mjs';

const EMULATE_ENTRY = import.meta.resolve('workos/emulate');
const { Store } = await import(new URL('./core/store.js', EMULATE_ENTRY));
const { generateId } = await import(new URL('./core/id.js', EMULATE_ENTRY));
const { getWorkOSStore } = await import(new URL('./workos/store.js', EMULATE_ENTRY));
const { seedFromConfig } = await import(new URL('./workos/index.js', EMULATE_ENTRY));

/** createEmulator() builds its Store synchronously before its first await; catch it there. */
function createEmulatorCapturingStore(options) {
  let store;
  const original = Store.prototype.setData;
  Store.prototype.setData = function (key, value) {
    store ??= this;
    return original.call(this, key, value);
  };
  let promise;
  try {
    promise = createEmulator(options);
  } finally {
    Store.prototype.setData = original;
  }
  return promise.then((raw) => ({ raw, store }));
}

const randomKey = (n = 24) => randomBytes(n).toString('base64url').replace(/[-_]/g, 'x').slice(0, n);
const sha256Hex = (s) => createHash('sha256').update(s).digest('hex');
const obfuscate = (value) => `sk_...${value.slice(-4)}`;
const asArray = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Normalise the seed into a plan whose every record has a fixed id. */
function buildPlan(seed, baseUrl) {
  const plan = {
    users: [],
    organizations: [],
    domains: [],
    memberships: [],
    invitations: [],
    featureFlags: [],
    flagTargets: [],
    apiKeyRecords: [],
    native: {},
  };

  for (const u of seed.users ?? []) {
    plan.users.push({
      object: 'user',
      email: u.email,
      first_name: u.first_name ?? null,
      last_name: u.last_name ?? null,
      email_verified: u.email_verified ?? false,
      profile_picture_url: u.profile_picture_url ?? null,
      last_sign_in_at: null,
      external_id: u.external_id ?? null,
      metadata: u.metadata ?? {},
      locale: u.locale ?? null,
      password: u.password ?? null,
      impersonator: u.impersonator ?? null,
      id: u.id ?? generateId('user'),
    });
  }
  for (const o of seed.organizations ?? []) {
    plan.organizations.push({
      object: 'organization',
      name: o.name,
      external_id: o.external_id ?? null,
      metadata: o.metadata ?? {},
      stripe_customer_id: o.stripe_customer_id ?? null,
      id: o.id ?? generateId('org'),
    });
  }

  const userId = (ref) => {
    if (ref === undefined || ref === null) return null;
    const u = plan.users.find((x) => x.id === ref || x.email === ref || (x.external_id && x.external_id === ref));
    return u ? u.id : ref;
  };
  const orgId = (ref) => {
    if (ref === undefined || ref === null) return null;
    const o = plan.organizations.find((x) => x.id === ref || x.name === ref || (x.external_id && x.external_id === ref));
    return o ? o.id : ref;
  };
  const membership = (m, organizationRef) => {
    const roles = m.roles ? asArray(m.roles).map((r) => (typeof r === 'string' ? { slug: r } : r)) : undefined;
    const role = m.role ?? m.role_slug ?? roles?.[0]?.slug ?? 'member';
    const rec = {
      object: 'organization_membership',
      organization_id: orgId(organizationRef ?? m.organization ?? m.organization_id),
      user_id: userId(m.user ?? m.user_id),
      role: typeof role === 'string' ? { slug: role } : role,
      status: m.status ?? 'active',
      external_id: m.external_id ?? null,
      metadata: m.metadata ?? {},
    };
    if (roles) rec.roles = roles;
    rec.id = m.id ?? generateId('om');
    plan.memberships.push(rec);
  };

  (seed.organizations ?? []).forEach((o, i) => {
    const org = plan.organizations[i];
    for (const d of o.domains ?? []) {
      const dd = typeof d === 'string' ? { domain: d } : d;
      plan.domains.push({
        object: 'organization_domain',
        organization_id: org.id,
        domain: dd.domain,
        state: dd.state ?? 'pending',
        verification_strategy: dd.verification_strategy ?? 'manual',
        verification_token: dd.verification_token ?? randomBytes(16).toString('hex'),
        verification_prefix: dd.verification_prefix ?? 'workos-verify',
        id: dd.id ?? generateId('org_domain'),
      });
    }
    for (const m of o.memberships ?? []) membership(m, org.id);
  });
  for (const m of seed.memberships ?? []) membership(m);

  for (const inv of seed.invitations ?? []) {
    const token = inv.token ?? randomBytes(16).toString('hex');
    plan.invitations.push({
      object: 'invitation',
      email: inv.email,
      state: inv.state ?? 'pending',
      token,
      accept_invitation_url: `${baseUrl}/user_management/invitations/accept?token=${token}`,
      organization_id: orgId(inv.organization ?? inv.organization_id),
      inviter_user_id: userId(inv.inviter ?? inv.inviter_user_id),
      role_slug: inv.role_slug ?? null,
      expires_at: inv.expires_at ?? new Date(Date.now() + 72 * 3600 * 1000).toISOString(),
      id: inv.id ?? generateId('inv'),
    });
  }

  for (const f of seed.featureFlags ?? []) {
    const flag = {
      object: 'feature_flag',
      slug: f.slug,
      name: f.name ?? f.slug,
      description: f.description ?? null,
      owner: f.owner ?? null,
      tags: f.tags ?? [],
      enabled: f.enabled ?? true,
      default_value: f.default_value ?? false,
      id: f.id ?? generateId('ff'),
    };
    plan.featureFlags.push(flag);
    for (const ref of asArray(f.organizations)) {
      plan.flagTargets.push({ object: 'flag_target', flag_slug: f.slug, resource_id: orgId(ref), resource_type: 'organization', value: true, id: generateId('ff_target') });
    }
    for (const ref of asArray(f.users)) {
      plan.flagTargets.push({ object: 'flag_target', flag_slug: f.slug, resource_id: userId(ref), resource_type: 'user', value: true, id: generateId('ff_target') });
    }
  }

  for (const k of seed.organizationApiKeys ?? []) {
    const value = k.value ?? `sk_test_${randomKey(40)}`;
    plan.apiKeyRecords.push({
      object: 'api_key',
      owner: { type: 'organization', id: orgId(k.organization ?? k.organization_id) },
      name: k.name,
      obfuscated_value: obfuscate(value),
      last_used_at: k.last_used_at ?? null,
      expires_at: k.expires_at ?? null,
      permissions: k.permissions ?? [],
      key: value, // not rendered by the emulator
      id: k.id ?? generateId('api_key'),
    });
  }

  // Emulator-native parts, applied after our records exist (roles may name an organization).
  if (seed.permissions) plan.native.permissions = seed.permissions;
  if (seed.roles) {
    plan.native.roles = seed.roles.map(({ organization, ...r }) => ({
      ...r,
      organization_id: orgId(organization ?? r.organization_id) ?? undefined,
    }));
  }
  if (seed.connections) plan.native.connections = seed.connections;
  if (seed.webhookEndpoints) plan.native.webhookEndpoints = seed.webhookEndpoints;
  return plan;
}

function applyPlan(store, baseUrl, plan) {
  const ws = getWorkOSStore(store);
  const total =
    plan.users.length + plan.organizations.length + plan.domains.length + plan.memberships.length +
    plan.invitations.length + plan.featureFlags.length + plan.flagTargets.length + plan.apiKeyRecords.length;
  const base = Date.now() - total - 1;
  let tick = 0;
  const put = (collection, data) => {
    const item = collection.insert(structuredClone(data));
    // The store keeps this very object; pin the timestamps to the seed order.
    item.created_at = item.updated_at = new Date(base + tick++).toISOString();
    return item;
  };
  for (const u of plan.users) {
    const { password, ...rest } = u;
    // Same hash as the emulator's own seeding (sha256 hex).
    rest.password_hash = password ? sha256Hex(password) : null;
    // Keep the emulator's key order: password_hash before impersonator.
    const { impersonator, id, ...head } = rest;
    put(ws.users, { ...head, impersonator, id });
  }
  for (const o of plan.organizations) put(ws.organizations, o);
  for (const d of plan.domains) put(ws.organizationDomains, d);
  for (const m of plan.memberships) put(ws.organizationMemberships, m);
  for (const i of plan.invitations) put(ws.invitations, i);
  for (const f of plan.featureFlags) put(ws.featureFlags, f);
  for (const t of plan.flagTargets) put(ws.flagTargets, t);
  for (const k of plan.apiKeyRecords) put(ws.apiKeyRecords, k);
  if (Object.keys(plan.native).length > 0) seedFromConfig(store, baseUrl, plan.native);
}

/**
 * Start the emulator on 127.0.0.1 and a free port, seeded as described at the top.
 * Returns { url, port, hostname, apiKey, ids, seeded, close(), reset(), raw, store }.
 *   ids     { organizations: { <name|external_id|id>: id }, users: { <email|external_id|id>: id },
 *             featureFlags: { <slug>: id }, invitations: { <email>: id } }
 *   seeded  the normalised records (wire shape; api keys carry their secret in `key`)
 *   reset() restores the seeded state (same ids); synchronous
 *   raw     what createEmulator returned; store: the emulator's in-memory Store
 */
export async function startEmulator({ seed = {}, port = 0 } = {}) {
  const nativeSeed = seed.apiKeys ? { apiKeys: seed.apiKeys } : undefined;
  const { raw, store } = await createEmulatorCapturingStore({ port, seed: nativeSeed });
  if (!store) {
    await raw.close();
    throw new Error('emulator.mjs: could not capture the emulator store (workos/emulate internals changed?)');
  }
  const apiKeyMap = store.getData('apiKeyMap');
  const url = `http://127.0.0.1:${raw.port}`;
  const plan = buildPlan(seed, raw.url);
  applyPlan(store, raw.url, plan);

  const ids = { organizations: {}, users: {}, featureFlags: {}, invitations: {} };
  for (const o of plan.organizations) {
    ids.organizations[o.id] = o.id;
    if (o.external_id) ids.organizations[o.external_id] = o.id;
    ids.organizations[o.name] = o.id;
  }
  for (const u of plan.users) {
    ids.users[u.id] = u.id;
    if (u.external_id) ids.users[u.external_id] = u.id;
    ids.users[u.email] = u.id;
  }
  for (const f of plan.featureFlags) ids.featureFlags[f.slug] = f.id;
  for (const i of plan.invitations) ids.invitations[i.email] = i.id;

  let closed = false;
  return {
    url,
    port: raw.port,
    hostname: '127.0.0.1',
    apiKey: raw.apiKey,
    ids,
    seeded: plan,
    raw,
    store,
    reset() {
      raw.reset();
      // The emulator's reset also wipes the API-key map (used by /api_keys/validations).
      if (apiKeyMap) store.setData('apiKeyMap', apiKeyMap);
      applyPlan(store, raw.url, plan);
    },
    async close() {
      if (closed) return;
      closed = true;
      await raw.close();
    },
  };
}

// ---------------------------------------------------------------------------------------
// Overlay

const T0 = '2026-01-01T00:00:00.000Z';
/** Environment roles the overlay serves for GET /organizations/{id}/roles by default. */
export const DEFAULT_ROLES = Object.freeze([
  {
    object: 'role',
    id: 'role_01JZ000000000000000000WNER',
    name: 'Owner',
    slug: 'owner',
    description: 'Full control of the organization',
    permissions: ['organization:manage', 'members:manage', 'billing:manage', 'api_keys:manage'],
    resource_type_slug: 'organization',
    type: 'EnvironmentRole',
    created_at: T0,
    updated_at: T0,
  },
  {
    object: 'role',
    id: 'role_01JZ000000000000000000ADMN',
    name: 'Admin',
    slug: 'admin',
    description: 'Manage members and settings',
    permissions: ['members:manage', 'api_keys:manage'],
    resource_type_slug: 'organization',
    type: 'EnvironmentRole',
    created_at: T0,
    updated_at: T0,
  },
  {
    object: 'role',
    id: 'role_01JZ000000000000000000MEMB',
    name: 'Member',
    slug: 'member',
    description: null,
    permissions: [],
    resource_type_slug: 'organization',
    type: 'EnvironmentRole',
    created_at: T0,
    updated_at: T0,
  },
]);

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection',
  'te', 'trailer', 'transfer-encoding', 'upgrade',
]);

function jsonHeaders(reqHeaders) {
  return {
    'content-type': 'application/json',
    'x-request-id': reqHeaders['x-request-id'] ?? `req_${randomUUID()}`,
  };
}

/** `statuses=a,b` → `statuses[]=a&statuses[]=b`, keeping every other parameter in place. */
export function translateStatusesQuery(query) {
  if (!query) return query;
  let changed = false;
  const out = [];
  for (const [k, v] of new URLSearchParams(query)) {
    if (k === 'statuses') {
      changed = true;
      for (const s of v.split(',')) if (s) out.push(['statuses[]', s]);
    } else {
      out.push([k, v]);
    }
  }
  return changed ? new URLSearchParams(out).toString() : query;
}

/**
 * A proxy in front of the emulator that serves
 *   GET  /organizations/{id}/roles          fixed roles (opts.roles: array or (orgId) => array)
 *   POST /organizations/{id}/api_keys       creates an organization_api_key (with `value`)
 *   GET  /organizations/{id}/api_keys       the emulator's records owned by {id} + keys created here
 *   GET  /organizations/{id}/feature-flags  Flag objects enabled for {id} (the emulator returns
 *                                           evaluated {slug,type,value,enabled} rows for every
 *                                           flag); opts.translateFeatureFlags = false turns it off
 * and rewrites `statuses=a,b` → `statuses[]=a&statuses[]=b` on
 * GET /user_management/organization_memberships. Everything else is forwarded as is (method,
 * path, query, headers including Host, body). The served routes first ask the emulator for
 * GET /organizations/{id} with the caller's headers, so bad keys get the emulator's 401 and
 * unknown organizations its 404.
 * `upstream` is a URL string or a handle with `url` (and optionally `apiKey`).
 * Returns { url, port, hostname, apiKey, requests, createdApiKeys, reset(), close() }.
 */
export async function startOverlay(upstream, opts = {}) {
  const upstreamUrl = new URL(typeof upstream === 'string' ? upstream : upstream.url);
  const apiKey = (typeof upstream === 'object' && upstream.apiKey) || 'sk_test_default';
  const translateFlags = opts.translateFeatureFlags !== false;
  const rolesFor = typeof opts.roles === 'function' ? opts.roles : () => opts.roles ?? DEFAULT_ROLES;
  const agent = new http.Agent({ keepAlive: true });
  const requests = [];
  const sockets = new Set();
  const createdApiKeys = new Map(); // orgId → [record with value]
  let closed = false;

  function callUpstream(method, target, headers, body) {
    return new Promise((resolve, reject) => {
      const h = {};
      for (const [k, v] of Object.entries(headers)) if (!HOP_BY_HOP.has(k)) h[k] = v;
      const payload = body ? Buffer.from(body) : null;
      if (payload && payload.length > 0) h['content-length'] = String(payload.length);
      else if (method !== 'GET' && method !== 'HEAD' && method !== 'DELETE' && 'content-length' in headers) h['content-length'] = '0';
      else delete h['content-length'];
      const r = http.request(
        { host: upstreamUrl.hostname, port: upstreamUrl.port, method, path: target, headers: h, agent },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      r.on('error', reject);
      r.end(payload && payload.length > 0 ? payload : undefined);
    });
  }

  const upstreamJson = async (target, reqHeaders) => {
    const headers = { ...reqHeaders };
    delete headers['content-length'];
    const res = await callUpstream('GET', target, headers, null);
    let json;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      json = undefined;
    }
    return { ...res, json };
  };

  /** Every item of an upstream paginated list (ascending). */
  async function upstreamAll(path, reqHeaders) {
    const out = [];
    let after;
    for (let guard = 0; guard < 1000; guard++) {
      const q = new URLSearchParams({ limit: '100', order: 'asc' });
      if (after) q.set('after', after);
      const r = await upstreamJson(`${path}?${q}`, reqHeaders);
      if (r.status !== 200 || !r.json) return { error: r };
      out.push(...r.json.data);
      after = r.json.list_metadata?.after;
      if (!after) break;
    }
    return { items: out };
  }

  function relay(res, up) {
    const headers = {};
    for (const [k, v] of Object.entries(up.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
    headers['content-length'] = String(up.body.length);
    res.writeHead(up.status, headers);
    res.end(up.body);
  }
  function sendJson(res, status, json, reqHeaders) {
    const body = Buffer.from(JSON.stringify(json));
    res.writeHead(status, { ...jsonHeaders(reqHeaders), 'content-length': String(body.length) });
    res.end(body);
  }
  const listQuery = (query) => {
    const q = new URLSearchParams(query);
    return { limit: q.get('limit') ?? undefined, order: q.get('order') ?? undefined, before: q.get('before') ?? undefined, after: q.get('after') ?? undefined };
  };
  const byCreation = (a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id);

  async function serve(req, res, record) {
    const { method, path, query, headers } = record;
    let m;
    const orgCheck = async (orgId) => {
      const r = await upstreamJson(`/organizations/${orgId}`, headers);
      if (r.status !== 200) {
        relay(res, r);
        return false;
      }
      return true;
    };

    if (method === 'GET' && (m = /^\/organizations\/([^/]+)\/roles$/.exec(path))) {
      record.served = 'overlay';
      if (!(await orgCheck(m[1]))) return;
      return sendJson(res, 200, { object: 'list', data: rolesFor(decodeURIComponent(m[1])) }, headers);
    }

    if (method === 'POST' && (m = /^\/organizations\/([^/]+)\/api_keys$/.exec(path))) {
      record.served = 'overlay';
      if (!(await orgCheck(m[1]))) return;
      const body = record.json;
      if (record.body.length > 0 && body === undefined) {
        return sendJson(res, 400, { message: 'Problems parsing JSON', code: 'invalid_request_body' }, headers);
      }
      const name = body?.name;
      if (!name || typeof name !== 'string') {
        return sendJson(res, 422, { message: 'name is required', code: 'unprocessable_entity', errors: [{ field: 'name', code: 'required' }] }, headers);
      }
      const orgId = decodeURIComponent(m[1]);
      const value = `sk_test_${randomKey(40)}`;
      const now = new Date().toISOString();
      const rec = {
        object: 'api_key',
        id: generateId('api_key'),
        owner: { type: 'organization', id: orgId },
        name,
        obfuscated_value: obfuscate(value),
        value,
        last_used_at: null,
        expires_at: body.expires_at ?? null,
        permissions: Array.isArray(body.permissions) ? body.permissions : [],
        created_at: now,
        updated_at: now,
      };
      if (!createdApiKeys.has(orgId)) createdApiKeys.set(orgId, []);
      createdApiKeys.get(orgId).push(rec);
      return sendJson(res, 201, rec, headers);
    }

    if (method === 'GET' && (m = /^\/organizations\/([^/]+)\/api_keys$/.exec(path))) {
      record.served = 'overlay';
      if (!(await orgCheck(m[1]))) return;
      const orgId = decodeURIComponent(m[1]);
      const up = await upstreamAll(path, headers);
      if (up.error) return relay(res, up.error);
      const own = (createdApiKeys.get(orgId) ?? []).map(({ value, ...rest }) => rest);
      const all = [...up.items.filter((k) => !k.owner || k.owner.id === orgId), ...own].sort(byCreation);
      return sendJson(res, 200, paginate(all, listQuery(query)), headers);
    }

    if (translateFlags && method === 'GET' && (m = /^\/organizations\/([^/]+)\/feature-flags$/.exec(path))) {
      record.served = 'overlay';
      if (!(await orgCheck(m[1]))) return;
      const evaluated = await upstreamJson(path, headers);
      if (evaluated.status !== 200 || !evaluated.json) return relay(res, evaluated);
      const on = new Set(evaluated.json.data.filter((e) => e.enabled && e.value).map((e) => e.slug));
      const flags = await upstreamAll('/feature-flags', headers);
      if (flags.error) return relay(res, flags.error);
      const all = flags.items.filter((f) => on.has(f.slug)).sort(byCreation);
      return sendJson(res, 200, paginate(all, listQuery(query)), headers);
    }

    let target = record.url;
    if (method === 'GET' && path === '/user_management/organization_memberships') {
      const q = translateStatusesQuery(query);
      if (q !== query) {
        target = `${path}?${q}`;
        record.forwardedQuery = q;
      }
    }
    record.served = 'upstream';
    relay(res, await callUpstream(method, target, headers, record.body));
  }

  const server = http.createServer(async (req, res) => {
    res.on('error', () => {});
    const body = await readBody(req);
    const record = recordRequest(req, body);
    requests.push(record);
    try {
      await serve(req, res, record);
    } catch (err) {
      if (!res.headersSent && !res.destroyed) {
        sendJson(res, 502, { message: `overlay: upstream error: ${err?.message ?? err}`, code: 'bad_gateway' }, record.headers);
      } else {
        req.socket.destroy();
      }
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (err, socket) => socket.destroy());
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });
  const port = server.address().port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hostname: '127.0.0.1',
    apiKey,
    requests,
    createdApiKeys,
    /** Forget recorded requests and the API keys created through the overlay. */
    reset() {
      requests.length = 0;
      createdApiKeys.clear();
    },
    async close() {
      if (closed) return;
      closed = true;
      const done = new Promise((ok) => server.close(() => ok()));
      for (const s of sockets) s.destroy();
      server.closeAllConnections?.();
      agent.destroy();
      await done;
    },
  };
}
