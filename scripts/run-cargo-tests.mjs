// Runs `cargo test` for the host target, so it reuses the artifacts `napi build` made
// (napi build always passes --target; a plain `cargo test` would rebuild every dependency).
import { execFileSync, spawnSync } from 'node:child_process';

const host = /host: (\S+)/.exec(execFileSync('rustc', ['-vV'], { encoding: 'utf8' }))[1];
const { status } = spawnSync('cargo', ['test', '--target', host, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(status ?? 1);
