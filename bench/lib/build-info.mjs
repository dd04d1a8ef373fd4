// Which build of the addon a benchmark is loading, so that numbers from a debug build are
// never mistaken for release numbers.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The `.node` file native.js loads: NAPI_RS_NATIVE_LIBRARY_PATH, or the one next to index.js. */
export function addonFile() {
  if (process.env.NAPI_RS_NATIVE_LIBRARY_PATH) return path.resolve(process.env.NAPI_RS_NATIVE_LIBRARY_PATH);
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

/** 'release' | 'debug' | 'unknown' | 'missing': which cargo profile built the loaded `.node`. */
export function buildProfile() {
  const addon = addonFile();
  if (!addon || !fs.existsSync(addon)) return 'missing';
  // ELF: a debug build has DWARF sections, which the release profile strips.
  const names = elfSectionNames(addon);
  if (names) return names.some((n) => n.startsWith('.debug_')) ? 'debug' : 'release';
  // Elsewhere: a copy of which cargo output, by size.
  const { size } = fs.statSync(addon);
  for (const profile of ['release', 'debug']) {
    if (cargoOutputs(profile).some((f) => fs.statSync(f).size === size)) return profile;
  }
  return 'unknown';
}

/** Section names of a little-endian ELF64 file, or null for anything else. */
function elfSectionNames(file) {
  const fd = fs.openSync(file, 'r');
  const read = (pos, len) => {
    const b = Buffer.alloc(len);
    fs.readSync(fd, b, 0, len, pos);
    return b;
  };
  try {
    const h = read(0, 64);
    if (h.toString('latin1', 0, 4) !== '\x7fELF' || h[4] !== 2 || h[5] !== 1) return null;
    const shoff = Number(h.readBigUInt64LE(0x28));
    const shentsize = h.readUInt16LE(0x3a);
    const shnum = h.readUInt16LE(0x3c);
    const shstrndx = h.readUInt16LE(0x3e);
    const headers = read(shoff, shentsize * shnum);
    const strtab = headers.subarray(shstrndx * shentsize);
    const table = read(Number(strtab.readBigUInt64LE(0x18)), Number(strtab.readBigUInt64LE(0x20)));
    const names = [];
    for (let i = 0; i < shnum; i++) {
      const at = headers.readUInt32LE(i * shentsize);
      names.push(table.toString('latin1', at, table.indexOf(0, at)));
    }
    return names;
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

export function machine() {
  const cpus = os.cpus();
  return `${cpus[0]?.model?.trim() ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${process.platform}-${process.arch}, node ${process.version}`;
}
