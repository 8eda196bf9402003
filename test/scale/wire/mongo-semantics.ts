// The MongoDB query and update semantics CloudBase's document database follows, for the operators the
// SDK's db.command produces ($eq $ne $gt $gte $lt $lte $in $nin $exists $and $or $nor; $set $unset $inc).
// Comparison is type-bracketed (a number never matches $lt on a string) and `{field: null}` also
// matches a missing field, as in MongoDB.
import type { Doc } from './ejson';

const typeRank = (v: unknown): number => {
  if (v === undefined || v === null) return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 5;
  if (typeof v === 'object' && !(v instanceof Date)) return 4;
  if (typeof v === 'boolean') return 8;
  if (v instanceof Date) return 9;
  return 10;
};

/** MongoDB sort order across types (null < numbers < strings < objects < arrays < booleans < dates). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0; // binary, like BSON
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return sameValue(a, b) ? 0 : JSON.stringify(a) < JSON.stringify(b) ? -1 : 1;
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).filter((k) => (a as Doc)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Doc)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Doc)[k], (b as Doc)[k]));
}

const get = (doc: Doc, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Doc)[k] : undefined), doc);

const isOperatorObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
  && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('$'));

function equals(field: unknown, want: unknown): boolean {
  if (want === null) return field === null || field === undefined;
  if (Array.isArray(field) && !Array.isArray(want)) return field.some((x) => sameValue(x, want));
  return sameValue(field, want);
}

function comparable(field: unknown, bound: unknown): boolean {
  return field !== undefined && field !== null && typeRank(field) === typeRank(bound);
}

function fieldMatches(field: unknown, cond: Record<string, unknown>): boolean {
  return Object.entries(cond).every(([op, arg]) => {
    switch (op) {
      case '$eq': return equals(field, arg);
      case '$ne': return !equals(field, arg);
      case '$gt': return comparable(field, arg) && compareValues(field, arg) > 0;
      case '$gte': return comparable(field, arg) && compareValues(field, arg) >= 0;
      case '$lt': return comparable(field, arg) && compareValues(field, arg) < 0;
      case '$lte': return comparable(field, arg) && compareValues(field, arg) <= 0;
      case '$in': return Array.isArray(arg) && arg.some((x) => equals(field, x));
      case '$nin': return Array.isArray(arg) && !arg.some((x) => equals(field, x));
      case '$exists': return (field !== undefined) === Boolean(arg);
      case '$not': return !fieldMatches(field, arg as Record<string, unknown>);
      default: throw new Error(`query operator ${op} is not supported by this double`);
    }
  });
}

/** Does `doc` satisfy the decoded filter? */
export function matches(doc: Doc, filter: Doc): boolean {
  return Object.entries(filter).every(([key, cond]) => {
    switch (key) {
      case '$and': return (cond as Doc[]).every((f) => matches(doc, f));
      case '$or': return (cond as Doc[]).some((f) => matches(doc, f));
      case '$nor': return !(cond as Doc[]).some((f) => matches(doc, f));
      default:
        if (key.startsWith('$')) throw new Error(`top-level operator ${key} is not supported by this double`);
        return isOperatorObject(cond) ? fieldMatches(get(doc, key), cond) : equals(get(doc, key), cond);
    }
  });
}

function setPath(doc: Doc, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = doc;
  for (const k of keys.slice(0, -1)) {
    if (at[k] === null || typeof at[k] !== 'object') at[k] = {};
    at[k] = { ...(at[k] as Doc) };
    at = at[k] as Doc;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete at[last];
  else at[last] = value;
}

/** Apply an update document ($set / $unset / $inc) to a copy of `doc`. */
export function applyUpdate(doc: Doc, update: Doc): Doc {
  const next: Doc = { ...doc };
  for (const [op, fields] of Object.entries(update)) {
    for (const [path, value] of Object.entries(fields as Doc)) {
      if (path === '_id') throw new Error('_id cannot be updated');
      switch (op) {
        case '$set': setPath(next, path, value); break;
        case '$unset': setPath(next, path, undefined); break;
        case '$inc': setPath(next, path, (Number(get(next, path) ?? 0)) + Number(value)); break;
        default: throw new Error(`update operator ${op} is not supported by this double`);
      }
    }
  }
  return next;
}
