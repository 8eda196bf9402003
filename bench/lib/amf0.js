// @ts-check
// The few AMF0 values an RTMP play client sends and reads (numbers, booleans, strings, objects, null).
'use strict';

/** @typedef {number | boolean | string | null | undefined | { [k: string]: any } | any[]} AmfValue */

/** @param {AmfValue} v @returns {Buffer} */
function encode(v) {
  if (v === null || v === undefined) return Buffer.from([0x05]);
  if (typeof v === 'number') {
    const b = Buffer.alloc(9);
    b[0] = 0x00;
    b.writeDoubleBE(v, 1);
    return b;
  }
  if (typeof v === 'boolean') return Buffer.from([0x01, v ? 1 : 0]);
  if (typeof v === 'string') return Buffer.concat([Buffer.from([0x02]), shortString(v)]);
  if (Array.isArray(v)) throw new Error('AMF0 arrays are not needed by the bench client');
  /** @type {Buffer[]} */
  const parts = [Buffer.from([0x03])];
  for (const [k, val] of Object.entries(v)) parts.push(shortString(k), encode(val));
  parts.push(Buffer.from([0x00, 0x00, 0x09]));
  return Buffer.concat(parts);
}

/** @param {string} s */
function shortString(s) {
  const body = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(body.length);
  return Buffer.concat([len, body]);
}

/**
 * Decode every value in a command message body; stops quietly at a type it does not know.
 * @param {Buffer} buf
 * @returns {AmfValue[]}
 */
function decodeAll(buf) {
  const out = [];
  const pos = { i: 0 };
  try {
    while (pos.i < buf.length) out.push(decodeOne(buf, pos));
  } catch { /* unknown type: keep what was read */ }
  return out;
}

/** @param {Buffer} buf @param {{ i: number }} pos @returns {AmfValue} */
function decodeOne(buf, pos) {
  const type = buf[pos.i++];
  switch (type) {
    case 0x00: { const v = buf.readDoubleBE(pos.i); pos.i += 8; return v; }
    case 0x01: return buf[pos.i++] !== 0;
    case 0x02: return readShortString(buf, pos);
    case 0x03: return readProps(buf, pos);
    case 0x05: case 0x06: return null;
    case 0x08: pos.i += 4; return readProps(buf, pos); // ECMA array: a count, then like an object
    case 0x0a: {
      const n = buf.readUInt32BE(pos.i);
      pos.i += 4;
      const arr = [];
      for (let k = 0; k < n; k++) arr.push(decodeOne(buf, pos));
      return arr;
    }
    default: throw new Error(`AMF0 type ${type}`);
  }
}

/** @param {Buffer} buf @param {{ i: number }} pos */
function readShortString(buf, pos) {
  const n = buf.readUInt16BE(pos.i);
  const s = buf.toString('utf8', pos.i + 2, pos.i + 2 + n);
  pos.i += 2 + n;
  return s;
}

/** @param {Buffer} buf @param {{ i: number }} pos */
function readProps(buf, pos) {
  /** @type {{ [k: string]: AmfValue }} */
  const obj = {};
  for (;;) {
    const key = readShortString(buf, pos);
    if (key === '' && buf[pos.i] === 0x09) { pos.i++; return obj; }
    obj[key] = decodeOne(buf, pos);
  }
}

module.exports = { encode, decodeAll };
