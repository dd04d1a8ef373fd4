// Which build of the addon a benchmark is loading, so that numbers from a debug build are
// never mistaken for release numbers.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The `.node` file next to index.js that native.js loads on this platform, if any. */
export function addonFile() {
  const files = fs.readdirSync(ROOT).filter((f) => f.endsWith('.node'));
  const platform = `${process.platform}-${process.arch}`;
  return files.map((f) => path.join(ROOT, f)).find((f) => path.basename(f).includes(platform)) ?? (files[0] && path.join(ROOT, files[0]));
}

function cargoOutputs(profile) {
  const names = ['libworkos_native.so', 'libworkos_native.dylib', 'workos_native.dll'];
  const found = [];
  const target = path.join(ROOT, 'target');
  const dirs = [path.join(target, profile)];
  try {
    for (const d of fs.readdirSync(target)) dirs.push(path.join(target, d, profile));
  } catch {
    return found;
  }
  for (const dir of dirs) for (const n of names) if (fs.existsSync(path.join(dir, n))) found.push(path.join(dir, n));
  return found;
}

/** 'release' | 'debug' | 'unknown': which cargo profile produced the loaded `.node`. */
export function buildProfile() {
  const addon = addonFile();
  if (!addon) return 'missing';
  const { size } = fs.statSync(addon);
  for (const profile of ['release', 'debug']) {
    if (cargoOutputs(profile).some((f) => fs.statSync(f).size === size)) return profile;
  }
  return 'unknown';
}

export function machine() {
  const cpus = os.cpus();
  return `${cpus[0]?.model?.trim() ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}-${process.arch}, node ${process.version}`;
}
