// The CloudBase double's query/update semantics must be MongoDB's, or store tests could pass against it
// and fail against the real database. These are the rules the RoomStore relies on.
import { decodeEjson, encodeEjson } from './ejson';
import { applyUpdate, compareValues, matches } from './mongo-semantics';

const doc = { _id: 'a', status: 'live', createdAt: 1_732_560_000_123, disconnectedAt: null, title: 'x' };

test('{field: null} matches null and missing fields; $ne: null matches neither', () => {
  expect(matches(doc, { disconnectedAt: null })).toBe(true);
  expect(matches(doc, { nowhere: null })).toBe(true);
  expect(matches(doc, { disconnectedAt: { $ne: null } })).toBe(false);
  expect(matches({ ...doc, disconnectedAt: 5 }, { disconnectedAt: { $ne: null } })).toBe(true);
});

test('comparisons are type-bracketed: null and strings never satisfy a numeric bound', () => {
  expect(matches(doc, { disconnectedAt: { $lte: 10 } })).toBe(false);
  expect(matches({ ...doc, createdAt: '5' }, { createdAt: { $lt: 10 } })).toBe(false);
  expect(matches(doc, { createdAt: { $lt: 1_732_560_000_124 } })).toBe(true);
  expect(matches(doc, { _id: { $lt: 'b' } })).toBe(true);
  expect(matches(doc, { _id: { $lt: 'B' } })).toBe(false); // binary order: uppercase sorts first
});

test('$in, $and, $or combine as in MongoDB', () => {
  expect(matches(doc, { _id: 'a', status: { $in: ['idle', 'live'] } })).toBe(true);
  expect(matches(doc, { _id: 'a', status: { $in: ['idle'] } })).toBe(false);
  expect(matches(doc, { $or: [{ createdAt: { $lt: 1 } }, { createdAt: 1_732_560_000_123, _id: { $lt: 'b' } }] })).toBe(true);
  expect(matches(doc, { $and: [{ status: 'live' }, { $or: [{ createdAt: { $lt: 1 } }] }] })).toBe(false);
  expect(() => matches(doc, { title: { $regex: 'x' } })).toThrow(/not supported/);
});

test('sort order across types puts null before numbers before strings', () => {
  expect([3, null, 'a', 1].sort(compareValues)).toEqual([null, 1, 3, 'a']);
});

test('$set / $unset / $inc, and _id is immutable', () => {
  expect(applyUpdate(doc, { $set: { status: 'ended', endedAt: 9 }, $unset: { title: '' } }))
    .toEqual({ _id: 'a', status: 'ended', createdAt: 1_732_560_000_123, disconnectedAt: null, endedAt: 9 });
  expect(applyUpdate({ n: 1 }, { $inc: { n: 2 } })).toEqual({ n: 3 });
  expect(() => applyUpdate(doc, { $set: { _id: 'b' } })).toThrow();
});

test('EJSON: int32, int64 and double keep their canonical forms and decode back to numbers', () => {
  const wire = encodeEjson({ a: 5, b: 1_732_560_000_123, c: 1.5, d: null, e: 'x' });
  expect(wire).toEqual({ a: { $numberInt: '5' }, b: { $numberLong: '1732560000123' }, c: { $numberDouble: '1.5' }, d: null, e: 'x' });
  expect(decodeEjson(JSON.stringify(wire))).toEqual({ a: 5, b: 1_732_560_000_123, c: 1.5, d: null, e: 'x' });
  expect(() => decodeEjson('{"x":{"$binary":{"base64":"","subType":"00"}}}')).toThrow(/not supported/);
});
