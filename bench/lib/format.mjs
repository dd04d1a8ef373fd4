// Markdown output for benchmarks.

/** A markdown table; `align` is one of 'l' | 'r' per column (default: first left, rest right). */
export function table(header, rows, align) {
  const al = align ?? header.map((_, i) => (i === 0 ? 'l' : 'r'));
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(al.map((a) => (a === 'r' ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

export const ms = (v) => (v === undefined || v === null || Number.isNaN(v) ? '—' : `${v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en')} ms`);
export const ratio = (v) => (v === undefined || v === null || Number.isNaN(v) ? '—' : `${v < 10 ? v.toFixed(2) : v.toFixed(0)}×`);
export const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
