// bench/tools/guards-ab.mjs, the paired comparison behind the README's "paired" guard figures:
// a short run of it works end to end (a package copy directory against one of guards.mjs's apps).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

test('guards-ab: a package directory against the unguarded app, one short run', async () => {
  const env = { ...process.env, AB_ROUNDS: '1', AB_MS: '300', AB_WARM_MS: '300', AB_CONNECTIONS: '4' };
  const { stdout } = await new Promise((resolve, reject) =>
    execFile(process.execPath, ['bench/tools/guards-ab.mjs', ROOT, 'none', '1'], { cwd: ROOT, env, timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(Object.assign(err, { stderr })) : resolve({ stdout }),
    ),
  );
  const row = stdout.split('\n').find((line) => line.startsWith('| 1 |'));
  assert.ok(row, stdout);
  const [, , aUs, bUs, ratio] = row.split('|').map((cell) => cell.trim());
  assert.ok(Number(aUs) > 0 && Number(bUs) > 0, row);
  assert.ok(Math.abs(Number(ratio) - Number(aUs) / Number(bUs)) < 0.002, row); // the µs are rounded
  assert.match(stdout, /^A\/B: \d+\.\d{4}: A spends (less|more) CPU per request\.$/m);
});

test('guards-ab: refuses a directory that is not a copy of workos-native', async () => {
  const failed = await new Promise((resolve) =>
    execFile(process.execPath, ['bench/tools/guards-ab.mjs', `${ROOT}bench`, 'none', '1'], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => resolve({ err, stderr })),
  );
  assert.ok(failed.err, 'exits with an error');
  assert.match(failed.stderr, /no index\.js/);
});
