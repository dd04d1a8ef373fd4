// Walking lists past their first page: `for await` over a list object and `autoPagination()`,
// against the recording mock server (__test__/helpers/mock-server.mjs). The official SDK's
// `autoPagination()` runs on the same server data as the reference for what comes back.

import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

import { startMock } from './helpers/mock-server.mjs';
import { officialClient } from './helpers/official.mjs';
import {
  nativeClient,
  organizations,
  orgId,
  wireFeatureFlag,
  workosNative,
} from './helpers/wire-fixtures.mjs';

const { GenericServerException, NotFoundException, RateLimitExceededException } = workosNative;
const INDEX_JS = fileURLToPath(new URL('../index.js', import.meta.url));

/** Ids in the API's default order (desc: newest first) of items 0..n-1. */
const descIds = (n) => Array.from({ length: n }, (_, i) => orgId(n - 1 - i));

/** The query of a recorded request as an object, failing on repeated keys. */
function queryOf(req) {
  const keys = req.searchParams.map(([k]) => k);
  assert.equal(new Set(keys).size, keys.length, `repeated query keys in ${req.url}`);
  return Object.fromEntries(req.searchParams);
}

/** Splits `ids` (API order) into the pages a walk asks for: `first` items, then 100s. */
function pagesOf(ids, first) {
  const pages = [ids.slice(0, first)];
  for (let i = first; i < ids.length; i += 100) pages.push(ids.slice(i, i + 100));
  return pages;
}

async function collect(iterable, { ids = true } = {}) {
  const out = [];
  for await (const item of iterable) out.push(ids ? item.id : item);
  return out;
}

/** Filter for the mock: a `domains` query (comma-joined) keeps organizations with one of them. */
function domainsFilter(item, req) {
  const wanted = new URLSearchParams(req.query).get('domains');
  if (!wanted) return true;
  const set = wanted.split(',');
  return item.domains.some((d) => set.includes(d.domain));
}

let mock;
let workos;

before(async () => {
  mock = await startMock();
  workos = nativeClient(mock);
  // 100k items in a child process, alongside the other tests (awaited by the last test).
  memoryRun = runMemoryChild().catch((error) => ({ error }));
});

after(async () => {
  await mock?.close();
});

beforeEach(() => {
  mock.reset();
});

// ---------------------------------------------------------------------------------------

describe('for await over listOrganizations()', () => {
  for (const defaultLimit of [10, 100]) {
    for (const n of [0, 1, 100, 101, 250]) {
      test(`${n} organizations, server default limit ${defaultLimit}: every item once, in order, with the right requests`, async () => {
        mock.list('/organizations', organizations(n), { defaultLimit });
        const list = await workos.organizations.listOrganizations();
        const got = await collect(list);
        const want = descIds(n);
        assert.deepEqual(got, want);

        const pages = pagesOf(want, Math.min(n, defaultLimit)).filter((p, i) => i === 0 || p.length > 0);
        // The mock says `after: null` on the last page, so no request follows it.
        assert.equal(mock.requests.length, pages.length, mock.requests.map((r) => r.url).join('\n'));
        assert.equal(mock.requests[0].url, '/organizations?order=desc');
        for (let p = 1; p < pages.length; p++) {
          const req = mock.requests[p];
          assert.equal(req.method, 'GET');
          assert.equal(req.path, '/organizations');
          assert.deepEqual(queryOf(req), { limit: '100', after: pages[p - 1].at(-1), order: 'desc' });
        }
      });
    }
  }

  test('items are the deserialized organizations (same objects as the official SDK builds)', async () => {
    mock.list('/organizations', organizations(12));
    const got = await collect(await workos.organizations.listOrganizations(), { ids: false });
    const official = await officialClient(mock).organizations.listOrganizations({ limit: 12 });
    assert.equal(got.length, 12);
    assert.deepEqual(got, official.data);
    assert.equal(got[0].domains[0].organizationId, orgId(11));
  });

  test('the first request is the one the official SDK sends for the same options', async () => {
    mock.list('/organizations', organizations(5), { filter: domainsFilter });
    const options = { domains: ['d0.example.com', 'd1.example.com'], search: 'Org' };
    await workos.organizations.listOrganizations({ ...options });
    await officialClient(mock).organizations.listOrganizations({ ...options });
    assert.equal(mock.requests.length, 2);
    assert.equal(mock.requests[0].url, mock.requests[1].url);
    assert.equal(mock.requests[0].url, '/organizations?domains=d0.example.com%2Cd1.example.com&search=Org&order=desc');
  });

  test('later pages keep the filters (domains) and ask for limit=100 after the cursor', async () => {
    const items = organizations(700); // d0/d1 match 2 of every 3 → 467 items
    mock.list('/organizations', items, { filter: domainsFilter });
    const domains = ['d0.example.com', 'd1.example.com'];
    const list = await workos.organizations.listOrganizations({ domains });
    const got = await collect(list);
    const want = items
      .filter((o) => domains.includes(o.domains[0].domain))
      .map((o) => o.id)
      .reverse();
    assert.equal(want.length, 467);
    assert.deepEqual(got, want);
    const pages = pagesOf(want, 10);
    assert.equal(mock.requests.length, pages.length);
    for (let p = 1; p < pages.length; p++) {
      assert.deepEqual(queryOf(mock.requests[p]), {
        domains: 'd0.example.com,d1.example.com',
        limit: '100',
        after: pages[p - 1].at(-1),
        order: 'desc',
      });
    }
  });

  test('path parameters (organizationId) go in the path only, on every page', async () => {
    const flags = Array.from({ length: 250 }, (_, i) => wireFeatureFlag(i));
    mock.list('/organizations/org_1/feature-flags', flags);
    mock.list('/organizations/org_2/feature-flags', flags.slice(0, 3));
    for (const order of [undefined, 'asc']) {
      mock.requests.length = 0;
      const options = order ? { organizationId: 'org_1', order } : { organizationId: 'org_1' };
      const list = await workos.organizations.listOrganizationFeatureFlags(options);
      const got = await collect(list);
      const want = flags.map((f) => f.id);
      if (order !== 'asc') want.reverse();
      assert.deepEqual(got, want);
      assert.equal(mock.requests.length, 4); // 10 + 100 + 100 + 40
      for (const [i, req] of mock.requests.entries()) {
        assert.equal(req.path, '/organizations/org_1/feature-flags');
        assert.ok(!req.query.includes('organizationId') && !req.query.includes('org_1'), req.url);
        const q = queryOf(req);
        assert.equal(q.order, order ?? 'desc');
        if (i > 0) assert.deepEqual(Object.keys(q).sort(), ['after', 'limit', 'order']);
      }
      const all = await list.autoPagination();
      assert.deepEqual(
        all.map((f) => f.id),
        want,
      );
      for (const req of mock.requests) {
        assert.equal(req.path, '/organizations/org_1/feature-flags');
        assert.ok(!req.query.includes('organizationId') && !req.query.includes('org_1'), req.url);
      }
    }
    // Another organization's list is another path.
    const other = await collect(await workos.organizations.listOrganizationFeatureFlags({ organizationId: 'org_2' }));
    assert.deepEqual(other, ['flag_00002', 'flag_00001', 'flag_00000']);
  });

  test("limit given: that page only, and no request after it", async () => {
    mock.list('/organizations', organizations(250));
    for (const limit of [5, 100]) {
      mock.requests.length = 0;
      const list = await workos.organizations.listOrganizations({ limit });
      const got = await collect(list);
      assert.deepEqual(got, descIds(250).slice(0, limit));
      await sleep(50); // a fetch ahead would have arrived by now
      assert.equal(mock.requests.length, 1);
      assert.deepEqual(queryOf(mock.requests[0]), { limit: String(limit), order: 'desc' });
    }
  });

  test('order: asc walks oldest first, asking for order=asc on every page', async () => {
    mock.list('/organizations', organizations(250));
    const got = await collect(await workos.organizations.listOrganizations({ order: 'asc' }));
    assert.deepEqual(got, descIds(250).reverse());
    assert.equal(mock.requests.length, 4);
    for (const req of mock.requests) assert.equal(queryOf(req).order, 'asc');
  });

  test('after given: every item after the cursor, starting from it', async () => {
    mock.list('/organizations', organizations(250));
    const cursor = descIds(250)[49];
    const list = await workos.organizations.listOrganizations({ after: cursor });
    const got = await collect(list);
    assert.deepEqual(got, descIds(250).slice(50));
    assert.deepEqual(queryOf(mock.requests[0]), { after: cursor, order: 'desc' });
    assert.deepEqual(queryOf(mock.requests[1]), { after: descIds(250)[59], limit: '100', order: 'desc' });
    assert.deepEqual(got, (await list.autoPagination()).map((o) => o.id));
  });

  test('before given: for await yields what autoPagination() returns (every item before the cursor)', async () => {
    mock.list('/organizations', organizations(250));
    const cursor = descIds(250)[49]; // 49 newer organizations precede it
    const list = await workos.organizations.listOrganizations({ before: cursor });
    assert.deepEqual(queryOf(mock.requests[0]), { before: cursor, order: 'desc' });
    const fromAutoPagination = (await list.autoPagination()).map((o) => o.id);
    const official = await officialClient(mock).organizations.listOrganizations({ before: cursor });
    const fromOfficial = (await official.autoPagination()).map((o) => o.id);
    assert.deepEqual(fromAutoPagination, fromOfficial);
    assert.deepEqual(fromOfficial, descIds(250).slice(0, 49));
    const got = await collect(list);
    assert.deepEqual(got, fromAutoPagination, `for await yielded ${got.length} items, autoPagination() ${fromAutoPagination.length}`);
  });

  test('break stops fetching (one page ahead at most); a new loop starts from the beginning', async () => {
    mock.list('/organizations', organizations(1000));
    const want = descIds(1000);
    const list = await workos.organizations.listOrganizations();
    const firstPageRequests = mock.requests.length;
    assert.equal(firstPageRequests, 1);
    // Item k is on page 1 (10 items) or page 2 + floor((k - 10) / 100).
    const pageOf = (k) => (k < 10 ? 1 : 2 + Math.floor((k - 10) / 100));

    const got = [];
    for await (const org of list) {
      got.push(org.id);
      assert.ok(
        mock.requests.length <= pageOf(got.length - 1) + 1,
        `item ${got.length - 1}: ${mock.requests.length} pages requested`,
      );
      if (got.length === 150) break; // on page 3
    }
    assert.deepEqual(got, want.slice(0, 150));
    await sleep(150);
    const afterBreak = mock.requests.length;
    assert.ok(afterBreak >= 3 && afterBreak <= 4, `${afterBreak} pages requested for 150 items`);
    await sleep(150);
    assert.equal(mock.requests.length, afterBreak, 'requests continued after break');

    // A new loop: from the first item again, page 2 asked after the first page's cursor.
    const again = [];
    for await (const org of list) {
      again.push(org.id);
      if (again.length === 15) break;
    }
    assert.deepEqual(again, want.slice(0, 15));
    await sleep(100);
    // 15 items = page 1 and part of page 2; page 3 may be on its way.
    assert.ok(mock.requests.length <= afterBreak + 2, `${mock.requests.length - afterBreak} requests for 15 items`);
    assert.deepEqual(queryOf(mock.requests[afterBreak]), { limit: '100', after: want[9], order: 'desc' });

    // Breaking inside the first page: page 2 at most.
    mock.requests.length = 0;
    for await (const org of list) {
      assert.equal(org.id, want[0]);
      break;
    }
    await sleep(100);
    assert.ok(mock.requests.length <= 1, `${mock.requests.length} requests after breaking on item 0`);
  });

  test('break returns at once even while the page ahead is slow to come', async () => {
    const items = organizations(1000);
    mock.list('/organizations', items);
    // Pages after the second take 2 s.
    mock.route('GET', '/organizations', (req) => {
      const q = queryOf(req);
      if (q.after && q.after !== descIds(1000)[9]) return { delayMs: 2000, json: { object: 'list', data: [], list_metadata: {} } };
      return undefined;
    });
    const list = await workos.organizations.listOrganizations();
    let n = 0;
    let started;
    for await (const org of list) {
      assert.ok(org.id);
      if (++n === 50) {
        await sleep(100);
        assert.equal(mock.requests.length, 3, 'page 3 is being fetched (slowly)');
        started = performance.now();
        break;
      }
    }
    const took = performance.now() - started;
    assert.ok(took < 1000, `the loop took ${took.toFixed(0)} ms to end`);
    // The client still answers at once afterwards.
    const t2 = performance.now();
    const again = await workos.organizations.listOrganizations({ limit: 3 });
    assert.equal(again.data.length, 3);
    assert.ok(performance.now() - t2 < 1000);
  });

  test('a page fetched ahead that fails after a break is not an unhandled rejection', async () => {
    const client = nativeClient(mock, { maxRetries: 0 });
    mock.list('/organizations', organizations(250));
    const unhandled = [];
    const onUnhandled = (reason) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const list = await client.organizations.listOrganizations();
      mock.enqueue('GET', '/organizations', { status: 500, json: { message: 'ahead' } });
      for await (const org of list) {
        assert.ok(org.id);
        await sleep(100); // page 2 is fetched ahead (and fails) meanwhile
        break;
      }
      assert.equal(mock.requests.length, 2, 'page 2 was fetched ahead');
      await sleep(50);
      assert.deepEqual(unhandled, []);
      // And the list still walks.
      assert.deepEqual(await collect(list), descIds(250));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('list_metadata without `after` (e.g. `{}`) ends the walk after the first page', async () => {
    mock.route('GET', '/organizations/org_1/feature-flags', {
      json: { object: 'list', data: [wireFeatureFlag(1), wireFeatureFlag(0)], list_metadata: {} },
    });
    const list = await workos.organizations.listOrganizationFeatureFlags({ organizationId: 'org_1' });
    assert.deepEqual(list.listMetadata, {});
    assert.deepEqual(await collect(list), ['flag_00001', 'flag_00000']);
    assert.deepEqual(
      (await list.autoPagination()).map((f) => f.id),
      ['flag_00001', 'flag_00000'],
    );
    await sleep(30);
    // The first page, then autoPagination()'s own walk (both directions at most).
    assert.ok(mock.requests.length >= 2 && mock.requests.length <= 3, `${mock.requests.length} requests`);
  });

  test('two loops at once over the same list object do not share state', async () => {
    mock.list('/organizations', organizations(250));
    const want = descIds(250);
    const list = await workos.organizations.listOrganizations();
    // Interleaved by hand: a takes 1, b takes 3, …
    const a = list[Symbol.asyncIterator]();
    const b = list[Symbol.asyncIterator]();
    const gotA = [];
    const gotB = [];
    let doneA = false;
    let doneB = false;
    while (!doneA || !doneB) {
      if (!doneA) {
        const r = await a.next();
        if (r.done) doneA = true;
        else gotA.push(r.value.id);
      }
      for (let i = 0; i < 3 && !doneB; i++) {
        const r = await b.next();
        if (r.done) doneB = true;
        else gotB.push(r.value.id);
      }
    }
    assert.deepEqual(gotA, want);
    assert.deepEqual(gotB, want);
    // And concurrently, with for await, while a third loop breaks early.
    const [c, d, e] = await Promise.all([
      collect(list),
      collect(list),
      (async () => {
        const out = [];
        for await (const org of list) {
          out.push(org.id);
          if (out.length === 120) break;
        }
        return out;
      })(),
    ]);
    assert.deepEqual(c, want);
    assert.deepEqual(d, want);
    assert.deepEqual(e, want.slice(0, 120));
  });

  test('a page failing mid-iteration rejects the loop with the typed exception; the list stays usable', async (t) => {
    // Its own server: a prefetch another test abandoned may still land on the shared one.
    const mock = await startMock();
    t.after(() => mock.close());
    const client = nativeClient(mock, { maxRetries: 0 });
    mock.list('/organizations', organizations(250));
    const cases = [
      [{ status: 500, json: { message: 'boom' } }, GenericServerException, 500],
      [{ status: 404, json: { message: 'gone' } }, NotFoundException, 404],
      [{ status: 429, json: { message: 'slow down' }, headers: { 'Retry-After': '3' } }, RateLimitExceededException, 429],
    ];
    for (const [response, Class, status] of cases) {
      mock.requests.length = 0;
      const list = await client.organizations.listOrganizations();
      mock.enqueue('GET', '/organizations', { ...response, headers: { ...response.headers, 'X-Request-ID': 'req_page2' } });
      const seen = [];
      await assert.rejects(
        async () => {
          for await (const org of list) seen.push(org.id);
        },
        (err) => {
          assert.ok(err instanceof Class, `${err?.name}: ${err?.message}`);
          assert.equal(err.status, status);
          assert.equal(err.requestID, 'req_page2');
          return true;
        },
      );
      assert.deepEqual(seen, descIds(250).slice(0, 10), 'the first page comes before the failure');
      assert.equal(mock.requests.length, 2, 'one attempt with maxRetries: 0');
      // The same list walks fine once the server recovers.
      assert.deepEqual(await collect(list), descIds(250));
    }
  });

  test('a page failing once is retried by default and the loop completes', async () => {
    mock.list('/organizations', organizations(250));
    const list = await workos.organizations.listOrganizations();
    mock.enqueue('GET', '/organizations', { status: 503, json: { message: 'busy' }, headers: { 'Retry-After': '0' } });
    assert.deepEqual(await collect(list), descIds(250));
    assert.equal(mock.requests.length, 5);
    assert.equal(mock.requests[1].url, mock.requests[2].url, 'the retry asks for the same page');
  });
});

// ---------------------------------------------------------------------------------------

describe('autoPagination()', { concurrency: true }, () => {
  // Each test has its own server: the official SDK sleeps 350 ms a page, so they run at once.
  const servers = new Set();
  after(() => Promise.all([...servers].map((s) => s.close())));
  async function ownServer() {
    const mock = await startMock();
    servers.add(mock);
    return { mock, workos: nativeClient(mock) };
  }

  test('returns exactly what the official autoPagination() returns (desc, asc, domains, after, before)', async () => {
    const { mock, workos } = await ownServer();
    const items = organizations(250);
    mock.list('/organizations', items, { filter: domainsFilter });
    const official = officialClient(mock);
    const scenarios = [
      ['desc (default)', undefined, 250],
      ['asc', { order: 'asc' }, 250],
      ['domains filter', { domains: ['d0.example.com', 'd2.example.com'] }, 167],
      ['after cursor', { after: orgId(180) }, 180],
      ['after cursor, asc', { after: orgId(30), order: 'asc' }, 219],
      ['before cursor', { before: orgId(180) }, 69],
    ];
    // The official one sleeps 350 ms between pages: run every scenario at once.
    const results = await Promise.all(
      scenarios.map(async ([name, options, count]) => {
        const [mine, theirs] = await Promise.all([
          workos.organizations.listOrganizations(options && { ...options }).then((l) => l.autoPagination()),
          official.organizations.listOrganizations(options && { ...options }).then((l) => l.autoPagination()),
        ]);
        return { name, count, mine, theirs };
      }),
    );
    for (const { name, count, mine, theirs } of results) {
      assert.equal(theirs.length, count, `${name}: official count`);
      assert.deepEqual(mine, theirs, name);
    }
  });

  test('feature flags under an organization: same result as the official SDK', async () => {
    const { mock, workos } = await ownServer();
    const flags = Array.from({ length: 205 }, (_, i) => wireFeatureFlag(i));
    mock.list('/organizations/org_9/feature-flags', flags);
    const [mine, theirs] = await Promise.all([
      workos.organizations.listOrganizationFeatureFlags({ organizationId: 'org_9' }).then((l) => l.autoPagination()),
      officialClient(mock)
        .organizations.listOrganizationFeatureFlags({ organizationId: 'org_9' })
        .then((l) => l.autoPagination()),
    ]);
    assert.equal(theirs.length, 205);
    assert.deepEqual(mine, theirs);
  });

  test('every size around page boundaries, and a server capping pages at 30', async () => {
    const sizes = [99, 100, 101, 199, 200, 201, 299, 300, 301];
    const runs = sizes.map(async (n) => {
      const server = await startMock();
      try {
        server.list('/organizations', organizations(n));
        const [desc, asc, theirs] = await Promise.all([
          nativeClient(server).organizations.listOrganizations().then((l) => l.autoPagination()),
          nativeClient(server).organizations.listOrganizations({ order: 'asc' }).then((l) => l.autoPagination()),
          officialClient(server).organizations.listOrganizations().then((l) => l.autoPagination()),
        ]);
        assert.deepEqual(desc.map((o) => o.id), descIds(n), `${n} desc`);
        assert.deepEqual(asc.map((o) => o.id), descIds(n).reverse(), `${n} asc`);
        assert.deepEqual(desc, theirs, `${n}: same as the official SDK`);
      } finally {
        await server.close();
      }
    });
    const capped = (async () => {
      const server = await startMock();
      try {
        server.list('/organizations', organizations(250), { maxLimit: 30 });
        const all = await (await nativeClient(server).organizations.listOrganizations()).autoPagination();
        assert.deepEqual(all.map((o) => o.id), descIds(250), 'pages of 30');
      } finally {
        await server.close();
      }
    })();
    await Promise.all([...runs, capped]);
  });

  test('with limit: returns data, no request', async () => {
    const { mock, workos } = await ownServer();
    mock.list('/organizations', organizations(250));
    const list = await workos.organizations.listOrganizations({ limit: 7 });
    const official = await officialClient(mock).organizations.listOrganizations({ limit: 7 });
    const before = mock.requests.length;
    const mine = await list.autoPagination();
    const theirs = await official.autoPagination();
    assert.equal(mock.requests.length, before);
    assert.equal(mine.length, 7);
    assert.deepEqual(mine, list.data);
    assert.deepEqual(mine, theirs);
  });

  test('0 and 1 items', async () => {
    const { mock, workos } = await ownServer();
    for (const n of [0, 1]) {
      mock.reset();
      mock.list('/organizations', organizations(n));
      const all = await (await workos.organizations.listOrganizations()).autoPagination();
      assert.deepEqual(
        all.map((o) => o.id),
        descIds(n),
      );
    }
  });

  test('a failing page rejects with the typed exception', async () => {
    const { mock, workos } = await ownServer();
    const client = nativeClient(mock, { maxRetries: 0 });
    mock.list('/organizations', organizations(250));
    const list = await client.organizations.listOrganizations();
    mock.route('GET', '/organizations', (req) =>
      queryOf(req).limit === '100' ? { status: 500, json: { message: 'down' } } : undefined,
    );
    await assert.rejects(list.autoPagination(), (err) => {
      assert.ok(err instanceof GenericServerException, `${err?.name}: ${err?.message}`);
      assert.equal(err.status, 500);
      assert.equal(err.message, 'down');
      return true;
    });
  });
});

// ---------------------------------------------------------------------------------------
// Memory: 100,000 items through `for await`, in a child process so that its numbers are the
// client's alone. The server makes each page on demand (it holds none of the items).

const MEMORY_ITEMS = 100_000;
let memoryRun;

async function runMemoryChild() {
  const server = await startMock();
  server.generatedList('/organizations', MEMORY_ITEMS, (i) => ({
    object: 'organization',
    id: orgId(i),
    name: `Org ${i}`,
    allow_profiles_outside_organization: false,
    domains: [],
    created_at: '2024-01-01T00:00:00.000Z',
    updated_at: '2024-01-01T00:00:00.000Z',
  }));
  const script = `
    const { WorkOS } = require(${JSON.stringify(INDEX_JS)});
    const mib = (b) => b / 2 ** 20;
    (async () => {
      const workos = new WorkOS('sk_test', { apiHostname: '127.0.0.1', port: ${server.port}, https: false });
      gc();
      const base = process.memoryUsage();
      let peakRss = base.rss, heapAt10k = 0, n = 0, inOrder = true;
      for await (const org of await workos.organizations.listOrganizations()) {
        const want = 'org_' + String(${MEMORY_ITEMS} - 1 - n).padStart(5, '0');
        if (org.id !== want) inOrder = false;
        n++;
        if (n % 500 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if (n === 10000) { gc(); heapAt10k = process.memoryUsage().heapUsed; }
      }
      gc();
      const end = process.memoryUsage();
      console.log(JSON.stringify({ n, inOrder, rssGrowthMiB: mib(peakRss - base.rss),
        heapGrowthAfter10kMiB: mib(end.heapUsed - heapAt10k), heapGrowthMiB: mib(end.heapUsed - base.heapUsed) }));
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  try {
    const child = spawn(process.execPath, ['--expose-gc', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    return { code, out, err, requests: server.requests.length };
  } finally {
    await server.close();
  }
}

test(`memory stays flat while iterating ${MEMORY_ITEMS.toLocaleString('en')} items`, async (t) => {
  const { error, code, out, err, requests } = await memoryRun;
  if (error) throw error;
  assert.equal(code, 0, err);
  const r = JSON.parse(out);
  t.diagnostic(out.trim());
  assert.equal(r.n, MEMORY_ITEMS);
  assert.ok(r.inOrder, 'items out of order');
  assert.equal(requests, 1 + Math.ceil((MEMORY_ITEMS - 10) / 100));
  // Sanity bounds, not a benchmark: holding the items would cost well over these.
  assert.ok(r.rssGrowthMiB < 64, `RSS grew ${r.rssGrowthMiB.toFixed(1)} MiB`);
  assert.ok(r.heapGrowthAfter10kMiB < 8, `heap grew ${r.heapGrowthAfter10kMiB.toFixed(1)} MiB from item 10,000 to the end`);
});
