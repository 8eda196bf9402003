// Byte tests for the MPEG-TS builders; expected bytes written by hand, every byte commented.
import {
  PID_PAT, PID_PMT, adaptationField, adaptationFieldSize, crc32, pat, pesHeader, pmt, psiPacket, wrap33, writePsiPacket,
  writeTsHeader, TS_CLOCK_WRAP,
} from '../../../server/media/hls/ts-packets';

const fill = (n: number): number[] => new Array(n).fill(0xff);

test('crc32 is CRC-32/MPEG-2 (standard check value of "123456789")', () => {
  expect(crc32(Buffer.from('123456789'))).toBe(0x0376e6e7);
});

test('PAT packet equals the one ffmpeg writes (PMT on PID 0x1000)', () => {
  const expected = Buffer.from([
    0x47, // sync byte
    0x40, 0x00, // payload_unit_start 1, PID 0x0000
    0x10, // payload only, continuity counter 0
    0x00, // pointer_field
    0x00, // table_id PAT
    0xb0, 0x0d, // section_syntax 1, section_length 13
    0x00, 0x01, // transport_stream_id 1
    0xc1, // version 0, current_next 1
    0x00, 0x00, // section_number, last_section_number
    0x00, 0x01, // program_number 1
    0xf0, 0x00, // program_map_PID 0x1000
    0x2a, 0xb1, 0x04, 0xb2, // CRC32 (as in ffmpeg's mpegts output)
    ...fill(188 - 21),
  ]);
  expect(psiPacket(PID_PAT, pat(), 0)).toEqual(expected);
});

test('PMT packet for H.264 + AAC equals the one ffmpeg writes', () => {
  const expected = Buffer.from([
    0x47, 0x50, 0x00, // sync, payload_unit_start 1, PID 0x1000
    0x13, // payload only, continuity counter 3
    0x00, // pointer_field
    0x02, // table_id PMT
    0xb0, 0x17, // section_length 23
    0x00, 0x01, // program_number 1
    0xc1, 0x00, 0x00, // version 0 current, section 0 of 0
    0xe1, 0x00, // PCR_PID 0x100 (video)
    0xf0, 0x00, // program_info_length 0
    0x1b, 0xe1, 0x00, 0xf0, 0x00, // H.264 on PID 0x100, no descriptors
    0x0f, 0xe1, 0x01, 0xf0, 0x00, // ADTS AAC on PID 0x101, no descriptors
    0x2f, 0x44, 0xb9, 0x9b, // CRC32 (as in ffmpeg's mpegts output)
    ...fill(188 - 31),
  ]);
  expect(psiPacket(PID_PMT, pmt(true, true), 3)).toEqual(expected);
});

test('audio-only PMT puts PCR on the audio PID and lists one stream; its CRC checks out', () => {
  const section = pmt(false, true);
  expect(section.subarray(0, section.length - 4)).toEqual(Buffer.from([
    0x02, // table_id PMT
    0xb0, 0x12, // section_length 18
    0x00, 0x01, // program_number 1
    0xc1, 0x00, 0x00, // version 0 current, section 0 of 0
    0xe1, 0x01, // PCR_PID 0x101 (audio)
    0xf0, 0x00, // program_info_length 0
    0x0f, 0xe1, 0x01, 0xf0, 0x00, // ADTS AAC on PID 0x101
  ]));
  // a CRC-32/MPEG-2 run over a section including its CRC leaves 0
  expect(crc32(section)).toBe(0);
});

test('video-only PMT lists only H.264', () => {
  const section = pmt(true, false);
  expect(section.subarray(12, section.length - 4)).toEqual(Buffer.from([0x1b, 0xe1, 0x00, 0xf0, 0x00]));
  expect(crc32(section)).toBe(0);
});

test('PES header with PTS and DTS: negative PTS wraps to 2^33-1, DTS past 2^33 rolls over', () => {
  expect(pesHeader(0xe0, -1, TS_CLOCK_WRAP + 90000, 100)).toEqual(Buffer.from([
    0x00, 0x00, 0x01, // packet_start_code_prefix
    0xe0, // stream_id: video 0
    0x00, 0x71, // PES_packet_length 113 = 3 + 10 + 100
    0x80, // '10' marker, no scrambling/priority/alignment
    0xc0, // PTS_DTS_flags '11'
    0x0a, // PES_header_data_length 10
    0x3f, 0xff, 0xff, 0xff, 0xff, // PTS 2^33-1: prefix 0011, all 33 bits set, markers
    0x11, // DTS prefix 0001, bits 32..30 = 0, marker
    0x00, // bits 29..22 of 90000
    0x05, // bits 21..15 (= 2), marker
    0xbf, // bits 14..7 (0x5F90 >> 7)
    0x21, // bits 6..0 (0x10), marker
  ]));
});

test('PES header with PTS only (PTS == DTS), e.g. audio', () => {
  expect(pesHeader(0xc0, 90000, 90000, 30)).toEqual(Buffer.from([
    0x00, 0x00, 0x01, // start code prefix
    0xc0, // stream_id: audio 0
    0x00, 0x26, // PES_packet_length 38 = 3 + 5 + 30
    0x80, // marker
    0x80, // PTS only
    0x05, // header data length 5
    0x21, 0x00, 0x05, 0xbf, 0x21, // PTS 90000 with prefix 0010
  ]));
});

test('PES_packet_length is 0 (unbounded) when a video PES exceeds 16 bits', () => {
  expect(pesHeader(0xe0, 0, null, 70000).readUInt16BE(4)).toBe(0);
});

test('adaptation field with PCR and random access; PCR base wraps at 2^33', () => {
  expect(adaptationField(8, TS_CLOCK_WRAP + 1, true)).toEqual(Buffer.from([
    0x07, // adaptation_field_length
    0x50, // random_access_indicator + PCR_flag
    0x00, 0x00, 0x00, 0x00, // PCR base bits 32..1 (base = 1)
    0xfe, // base bit 0 = 1, 6 reserved bits, extension bit 8 = 0
    0x00, // extension bits 7..0
  ]));
  expect(adaptationField(8, TS_CLOCK_WRAP - 1, false)).toEqual(Buffer.from([
    0x07, 0x10, // length 7, PCR_flag only
    0xff, 0xff, 0xff, 0xff, 0xfe, 0x00, // PCR base 2^33-1
  ]));
});

test('adaptation field used as stuffing: a lone length byte, or flags 0 + 0xFF', () => {
  expect(adaptationField(1, null, false)).toEqual(Buffer.from([0x00]));
  expect(adaptationField(5, null, false)).toEqual(Buffer.from([
    0x04, // length 4
    0x00, // no flags
    0xff, 0xff, 0xff, // stuffing
  ]));
});

test('wrap33 maps negatives and values past 2^33 onto the 33-bit clock', () => {
  expect([wrap33(-90000), wrap33(TS_CLOCK_WRAP * 3 + 7), wrap33(12345)]).toEqual([TS_CLOCK_WRAP - 90000, 7, 12345]);
});

test('PES timestamps with every field holding a mixed bit pattern (bits sliced by hand from the 33-bit binary)', () => {
  // PTS 0x123456789 = 100 10001101 0001010 11001111 0001001, DTS 0x0EDCBA987 = 011 10110111 0010111 01010011 0000111
  expect(pesHeader(0xe0, 0x123456789, 0x0edcba987, 0)).toEqual(Buffer.from([
    0x00, 0x00, 0x01, 0xe0, // start code prefix, video stream 0
    0x00, 0x0d, // PES_packet_length 13 = 3 + 10 + 0
    0x80, 0xc0, 0x0a, // marker, PTS and DTS, header data length 10
    0x39, // 0011 (PTS of a PTS+DTS pair), bits 32..30 = 100, marker
    0x8d, // bits 29..22 = 10001101
    0x15, // bits 21..15 = 0001010, marker
    0xcf, // bits 14..7 = 11001111
    0x13, // bits 6..0 = 0001001, marker
    0x17, // 0001 (DTS), bits 32..30 = 011, marker
    0xb7, // 10110111
    0x2f, // 0010111, marker
    0x53, // 01010011
    0x0f, // 0000111, marker
  ]));
});

test('PES_packet_length: 65535 still fits, one byte more is written as 0', () => {
  // PTS-only header: 3 + 5 bytes after the length field, then the payload
  expect(pesHeader(0xe0, 0, null, 65527).subarray(4, 6)).toEqual(Buffer.from([0xff, 0xff]));
  expect(pesHeader(0xe0, 0, null, 65528).subarray(4, 6)).toEqual(Buffer.from([0x00, 0x00]));
});

test('PCR base with a mixed bit pattern; random access without PCR; adaptation field sizes', () => {
  // base 0x1A5A5A5A5 = 1 1010 0101 1010 0101 1010 0101 1010 0101, then 6 reserved 1s and a 9-bit extension 0
  expect(adaptationField(8, 0x1a5a5a5a5, false)).toEqual(Buffer.from([
    0x07, 0x10, // length 7, PCR_flag
    0xd2, 0xd2, 0xd2, 0xd2, // base bits 32..1: 11010010 ×4
    0xfe, // base bit 0 = 1, reserved 111111, extension bit 8 = 0
    0x00, // extension bits 7..0
  ]));
  expect(adaptationField(4, null, true)).toEqual(Buffer.from([
    0x03, // length 3
    0x40, // random_access_indicator only
    0xff, 0xff, // stuffing
  ]));
  expect([adaptationFieldSize(true, true), adaptationFieldSize(true, false), adaptationFieldSize(false, true), adaptationFieldSize(false, false)])
    .toEqual([8, 8, 2, 0]);
});

test('a PSI packet written in place at an offset leaves the bytes around it alone; the counter keeps 4 bits', () => {
  const out = Buffer.alloc(3 * 188, 0xaa);
  writePsiPacket(out, 188, 0x1fff, Buffer.from([0x01, 0x02]), 17);
  expect(out.subarray(0, 188)).toEqual(Buffer.alloc(188, 0xaa));
  expect(out.subarray(376)).toEqual(Buffer.alloc(188, 0xaa));
  expect(out.subarray(188, 376)).toEqual(Buffer.from([
    0x47, // sync
    0x5f, 0xff, // payload_unit_start, PID 0x1FFF
    0x11, // payload only, continuity counter 17 mod 16 = 1
    0x00, // pointer_field
    0x01, 0x02, // the section
    ...fill(188 - 7),
  ]));
});

test('writeTsHeader: adaptation-only flags and PID bits', () => {
  const out = Buffer.alloc(4);
  writeTsHeader(out, 0, 0x0abc, false, true, 0x0f);
  expect(out).toEqual(Buffer.from([
    0x47, // sync
    0x0a, // no unit start, PID bits 12..8
    0xbc, // PID bits 7..0
    0x3f, // adaptation field + payload, counter 15
  ]));
});
