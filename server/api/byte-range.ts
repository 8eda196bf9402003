// The one `Range: bytes=…` form players send (RFC 9110 §14): a single range, `a-b`, `a-` or `-n`. Several
// ranges, another unit or a malformed header are answered with the whole body (allowed: a server may ignore
// Range), so only a range that starts past the end is refused (416).
export type RangeAnswer = { whole: true } | { start: number; end: number } | { unsatisfiable: true };

const SINGLE = /^bytes=(\d*)-(\d*)$/;

/** `end` is inclusive, as in Content-Range. */
export function byteRange(header: string | undefined, size: number): RangeAnswer {
  if (!header) return { whole: true };
  const m = SINGLE.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return { whole: true };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { unsatisfiable: true };
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? Infinity : Number(m[2]);
  if (last < start) return { whole: true }; // invalid: ignored
  if (start >= size) return { unsatisfiable: true };
  return { start, end: Math.min(last, size - 1) };
}
