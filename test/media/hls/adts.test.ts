// Byte tests for AudioSpecificConfig parsing and the 7-byte ADTS header.
import { aacCodecString, adtsHeader, parseAacConfig } from '../../../server/media/hls/adts';
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
