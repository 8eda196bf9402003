// Canonical Extended JSON (the form the CloudBase SDK sends: bson EJSON.stringify with relaxed=false) to
// plain values and back. Only the types a document store of rooms meets; anything else is refused.
export type Doc = Record<string, unknown>;

const INT32_MAX = 2 ** 31 - 1;

function decodeValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeValue);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    const [k] = keys as [string];
    const x = o[k];
    switch (k) {
      case '$numberInt':
      case '$numberLong':
      case '$numberDouble': {
        const n = Number(x);
        if (typeof x !== 'string' || (Number.isNaN(n) && x !== 'NaN')) throw new Error(`bad ${k} ${String(x)}`);
        return n;
      }
      case '$date': {
        const ms = typeof x === 'string' ? Date.parse(x) : Number(decodeValue(x));
        return new Date(ms);
      }
      case '$numberDecimal': case '$binary': case '$oid': case '$timestamp': case '$regularExpression':
      case '$symbol': case '$code': case '$minKey': case '$maxKey': case '$undefined': case '$dbPointer':
        throw new Error(`EJSON type ${k} is not supported by this double`);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, decodeValue(o[k])]));
}

/** An EJSON string (or an already-parsed value) → plain JS values. */
export function decodeEjson(input: unknown): unknown {
  return decodeValue(typeof input === 'string' ? JSON.parse(input) : input);
}

/** Plain values → canonical EJSON (int32 / int64 / double kept apart, as the service stores them). */
export function encodeEjson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(encodeEjson);
  if (v instanceof Date) return { $date: { $numberLong: String(v.getTime()) } };
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) <= INT32_MAX) return { $numberInt: String(v) };
    if (Number.isSafeInteger(v)) return { $numberLong: String(v) };
    return { $numberDouble: Number.isInteger(v) ? `${v}.0` : String(v) };
  }
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeEjson(x)]));
}
