// Byte tests for AudioSpecificConfig parsing and the 7-byte ADTS header.
import { aacCodecString, adtsHeader, parseAacConfig, strayAdtsHeaderLength } from '../../../server/media/hls/adts';
import { CodecError } from '../../../server/media/hls/errors';

test('AAC-LC 44.1 kHz stereo config', () => {
  // 00010 (AAC-LC) 0100 (44100) 0010 (stereo) 000 (GASpecificConfig flags)
  const c = parseAacConfig(Buffer.from([0x12, 0x10]));
  expect(c).toEqual({ objectType: 2, adtsProfile: 1, samplingIndex: 4, sampleRate: 44100, channels: 2 });
  expect(aacCodecString(c)).toBe('mp4a.40.2');
});

test('ADTS header for a 100-byte AAC-LC 44.1 kHz stereo frame', () => {
  expect(adtsHeader(parseAacConfig(Buffer.from([0x12, 0x10])), 100)).toEqual(Buffer.from([
    0xff, // syncword high 8 bits
    0xf1, // syncword low 4, MPEG-4, layer 0, protection_absent
    0x50, // profile 01 (LC), sampling index 0100, private 0, channel config bit 2 = 0
    0x80, // channel config bits 1..0 = 10, orig/home/copyright 0, frame length bits 12..11 = 0
    0x0d, // frame length (107) bits 10..3
    0x7f, // frame length bits 2..0 = 011, buffer fullness high 5 bits (0x7FF)
    0xfc, // buffer fullness low 6 bits, 1 raw data block (field 0)
  ]));
});

test('ADTS header for a mono 48 kHz frame of 1000 bytes (frame length spans three bytes)', () => {
  // 00010 (LC) 0011 (48000) 0001 (mono) 000
  expect(adtsHeader(parseAacConfig(Buffer.from([0x11, 0x88])), 1000)).toEqual(Buffer.from([
    0xff, 0xf1, // syncword, MPEG-4, no CRC
    0x4c, // profile 01, sampling index 0011, channel bit 2 = 0
    0x40, // channel bits 01, frame length (1007 = 0x3EF) bits 12..11 = 00
    0x7d, // bits 10..3 of 0x3EF
    0xff, // bits 2..0 = 111, fullness high 5 bits
    0xfc, // fullness low, one block
  ]));
});

test('explicit HE-AAC (SBR) config: ADTS carries the core LC profile and core rate', () => {
  // 00101 (SBR) 0110 (24000 core) 0010 (stereo) 0011 (48000 output) 00010 (core LC) 000
  const c = parseAacConfig(Buffer.from([0x2b, 0x11, 0x88]));
  expect(c).toEqual({ objectType: 5, adtsProfile: 1, samplingIndex: 6, sampleRate: 48000, channels: 2 });
  expect(aacCodecString(c)).toBe('mp4a.40.5');
});

test('the explicit-frequency escape (index 15) is refused, not mis-parsed', () => {
  // 00010 (LC) 1111 (escape: 24-bit frequency follows) ...
  expect(() => parseAacConfig(Buffer.from([0x17, 0x80, 0x00, 0x00, 0x00]))).toThrow(
    expect.objectContaining({ name: 'CodecError', code: 'unsupported_aac' }));
});

test('channel configuration 0 (program config element) and short configs are refused', () => {
  expect(() => parseAacConfig(Buffer.from([0x12, 0x00]))).toThrow(expect.objectContaining({ code: 'unsupported_aac' }));
  expect(() => parseAacConfig(Buffer.from([0x12]))).toThrow(CodecError);
});

test('a frame too long for the 13-bit ADTS length is a typed error', () => {
  expect(() => adtsHeader(parseAacConfig(Buffer.from([0x12, 0x10])), 8185)).toThrow(
    expect.objectContaining({ code: 'aac_frame_too_large' }));
});

test('object types 1–4 map to ADTS profiles 0–3; 0, 6 and escaped types (31 + 6 bits) are refused by number', () => {
  // 00001 (Main) 0100 (44100) 0010 (stereo) 000
  expect(parseAacConfig(Buffer.from([0x0a, 0x10]))).toMatchObject({ objectType: 1, adtsProfile: 0 });
  // 00100 (LTP) 0100 0010 000
  expect(parseAacConfig(Buffer.from([0x22, 0x10]))).toMatchObject({ objectType: 4, adtsProfile: 3 });
  const refusal = (asc: number[]): string => {
    try {
      parseAacConfig(Buffer.from(asc));
      return 'accepted';
    } catch (err) {
      return `${(err as CodecError).code}: ${(err as Error).message}`;
    }
  };
  expect([
    refusal([0x02, 0x10]), // 00000 (null object) 0100 0010 000
    refusal([0x32, 0x10]), // 00110 (AAC scalable) 0100 0010 000
    refusal([0xf8, 0xa4, 0x20]), // 11111 (escape) 000101 (32 + 5) 0100 (44100) 0010 (stereo) 00000
  ]).toEqual([
    'unsupported_aac: AAC object type 0 has no ADTS profile',
    'unsupported_aac: AAC object type 6 has no ADTS profile',
    'unsupported_aac: AAC object type 37 has no ADTS profile',
  ]);
});

test('reserved sampling indexes, channel configurations over 7 and a config cut short inside SBR are refused', () => {
  const code = (asc: number[]): string => {
    try {
      parseAacConfig(Buffer.from(asc));
      return 'accepted';
    } catch (err) {
      return (err as Error).message;
    }
  };
  expect([
    code([0x16, 0x90]), // 00010 (LC) 1101 (index 13: reserved) 0010 000
    code([0x12, 0x40]), // 00010 (LC) 0100 (44100) 1000 (channel configuration 8: reserved) 000
    code([0x2b, 0x11]), // 00101 (SBR) 0110 (24000) 0010 (stereo) 001: the 4-bit extension index does not fit
  ]).toEqual([
    'reserved AAC sampling index 13',
    'AAC channel configuration 8',
    'AudioSpecificConfig truncated',
  ]);
});

test('7.1 (channel configuration 7) is 8 channels, and written back as configuration 7', () => {
  // 00010 (LC) 0011 (48000) 0111 (7.1) 000
  const c = parseAacConfig(Buffer.from([0x11, 0xb8]));
  expect(c).toEqual({ objectType: 2, adtsProfile: 1, samplingIndex: 3, sampleRate: 48000, channels: 8 });
  expect(adtsHeader(c, 100)).toEqual(Buffer.from([
    0xff, 0xf1, // syncword, MPEG-4, no CRC
    0x4d, // profile 01, sampling index 0011, private 0, channel configuration bit 2 = 1
    0xc0, // channel configuration bits 1..0 = 11, frame length (107) bits 12..11 = 00
    0x0d, // frame length bits 10..3
    0x7f, // frame length bits 2..0 = 011, buffer fullness high 5 bits
    0xfc, // buffer fullness low 6 bits, one raw data block
  ]));
});

test('explicit parametric stereo (object type 29) also carries the core profile and rate', () => {
  // 11101 (PS) 0110 (24000 core) 0001 (mono) 0011 (48000 output) 00010 (core LC) 000
  const c = parseAacConfig(Buffer.from([0xeb, 0x09, 0x88, 0x00]));
  expect(c).toEqual({ objectType: 29, adtsProfile: 1, samplingIndex: 6, sampleRate: 48000, channels: 1 });
  expect(aacCodecString(c)).toBe('mp4a.40.29');
});

test('the longest frame ADTS can describe (8191 bytes with the header) still gets a header', () => {
  expect(adtsHeader(parseAacConfig(Buffer.from([0x12, 0x10])), 8184)).toEqual(Buffer.from([
    0xff, 0xf1, // syncword, MPEG-4, no CRC
    0x50, // LC, 44100, channel bit 2 = 0
    0x83, // channel bits 10, frame length 0x1FFF bits 12..11 = 11
    0xff, // frame length bits 10..3
    0xff, // frame length bits 2..0 = 111, buffer fullness high 5 bits
    0xfc, // buffer fullness low, one block
  ]));
});

test('strayAdtsHeaderLength: 7 without CRC (MPEG-4 or MPEG-2 ID), 9 with one; 0 unless sync, layer and length all fit', () => {
  /** a frame of `total` bytes starting with an ADTS header whose second byte is `b1` */
  const frame = (b1: number, total: number): Buffer => {
    const f = Buffer.alloc(total, 0x21);
    f[0] = 0xff;
    f[1] = b1;
    f[2] = 0x50; // LC, 44100
    f[3] = 0x80 | (total >> 11); // stereo, frame length bits 12..11
    f[4] = (total >> 3) & 0xff;
    f[5] = ((total & 7) << 5) | 0x1f;
    f[6] = 0xfc;
    return f;
  };
  expect([
    strayAdtsHeaderLength(frame(0xf1, 12)), // MPEG-4, protection_absent 1
    strayAdtsHeaderLength(frame(0xf9, 12)), // MPEG-2 ID, protection_absent 1
    strayAdtsHeaderLength(frame(0xf0, 12)), // protection_absent 0: a 16-bit CRC follows the header
    strayAdtsHeaderLength(frame(0xf1, 2057)), // frame length 0x809: bit 11 comes from byte 3
    strayAdtsHeaderLength(frame(0xf1, 7)), // nothing but a header
    strayAdtsHeaderLength(frame(0xf3, 12)), // layer 01: not ADTS
    strayAdtsHeaderLength(frame(0xe1, 12)), // sync word not complete
    strayAdtsHeaderLength(Buffer.concat([frame(0xf1, 12), Buffer.from([0x00])])), // length says 12, there are 13
    strayAdtsHeaderLength(frame(0xf1, 6)), // shorter than a header, though its length field agrees
  ]).toEqual([7, 7, 9, 7, 7, 0, 0, 0, 0]);
  const notSync = frame(0xf1, 12);
  notSync[0] = 0xfe;
  expect(strayAdtsHeaderLength(notSync)).toBe(0);
});

test('every refusal carries its code and names its reason', () => {
  const reason = (f: () => unknown): string => {
    try {
      f();
      return 'accepted';
    } catch (err) {
      return `${(err as CodecError).code}: ${(err as Error).message}`;
    }
  };
  const lc = parseAacConfig(Buffer.from([0x12, 0x10]));
  expect([
    reason(() => parseAacConfig(Buffer.from([0x12]))), // one byte
    reason(() => parseAacConfig(Buffer.from([0x2b, 0x11]))), // SBR: the extension index does not fit
    reason(() => adtsHeader(lc, 8185)), // 8192 bytes with the header
  ]).toEqual([
    'bad_aac_config: AudioSpecificConfig is 1 bytes',
    'bad_aac_config: AudioSpecificConfig truncated',
    'aac_frame_too_large: AAC frame of 8185 bytes',
  ]);
});
