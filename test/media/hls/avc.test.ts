// Byte tests for H.264 config parsing and AVCC → Annex-B (AUD first, SPS/PPS before IDR, in-band sets dropped).
import { annexBParameterSets, avcCodecString, avccToAnnexB, parseAvcConfig, withParameterSets } from '../../../server/media/hls/avc';
import { CodecError } from '../../../server/media/hls/errors';

/** the access unit's chunks joined (null stays null) */
const joined = (chunks: readonly Buffer[] | null): Buffer | null => chunks && Buffer.concat(chunks);

const RECORD = Buffer.from([
  0x01, // configurationVersion
  0x64, // AVCProfileIndication: High
  0x00, // profile_compatibility
  0x1f, // AVCLevelIndication 3.1
  0xff, // reserved '111111' + lengthSizeMinusOne 3
  0xe1, // reserved '111' + numOfSequenceParameterSets 1
  0x00, 0x04, 0x67, 0x64, 0x00, 0x1f, // SPS length 4, SPS (nal type 7)
  0x01, // numOfPictureParameterSets
  0x00, 0x02, 0x68, 0xee, // PPS length 2, PPS (nal type 8)
]);

test('parses the config record: profile, level, NAL length size, parameter sets', () => {
  const c = parseAvcConfig(RECORD);
  expect(c).toEqual({
    profile: 0x64, compatibility: 0, level: 0x1f, nalLengthSize: 4,
    sps: [Buffer.from([0x67, 0x64, 0x00, 0x1f])], pps: [Buffer.from([0x68, 0xee])],
  });
  expect(avcCodecString(c)).toBe('avc1.64001f');
});

test('a keyframe becomes AUD, SPS, PPS, then its own NALs minus in-band AUD/SPS', () => {
  const sample = Buffer.from([
    0x00, 0x00, 0x00, 0x02, 0x09, 0x10, // in-band AUD: dropped
    0x00, 0x00, 0x00, 0x03, 0x06, 0x05, 0x01, // SEI: kept
    0x00, 0x00, 0x00, 0x02, 0x67, 0xaa, // in-band SPS: dropped
    0x00, 0x00, 0x00, 0x03, 0x65, 0x88, 0x84, // IDR slice
  ]);
  expect(joined(avccToAnnexB(sample, parseAvcConfig(RECORD), true))).toEqual(Buffer.from([
    0x00, 0x00, 0x00, 0x01, 0x09, 0xf0, // AUD, primary_pic_type 7
    0x00, 0x00, 0x00, 0x01, 0x67, 0x64, 0x00, 0x1f, // SPS from the sequence header
    0x00, 0x00, 0x00, 0x01, 0x68, 0xee, // PPS from the sequence header
    0x00, 0x00, 0x00, 0x01, 0x06, 0x05, 0x01, // SEI
    0x00, 0x00, 0x00, 0x01, 0x65, 0x88, 0x84, // IDR
  ]));
});

test('an IDR gets SPS/PPS even when the FLV tag does not say keyframe', () => {
  const out = joined(avccToAnnexB(Buffer.from([0x00, 0x00, 0x00, 0x02, 0x65, 0x11]), parseAvcConfig(RECORD), false));
  expect(out).toEqual(Buffer.from([
    0x00, 0x00, 0x00, 0x01, 0x09, 0xf0, // AUD
    0x00, 0x00, 0x00, 0x01, 0x67, 0x64, 0x00, 0x1f, // SPS
    0x00, 0x00, 0x00, 0x01, 0x68, 0xee, // PPS
    0x00, 0x00, 0x00, 0x01, 0x65, 0x11, // IDR
  ]));
});

test('an inter frame gets only the AUD; in-band PPS dropped', () => {
  const sample = Buffer.from([
    0x00, 0x00, 0x00, 0x02, 0x68, 0xcc, // in-band PPS: dropped
    0x00, 0x00, 0x00, 0x02, 0x41, 0x9a, // non-IDR slice
  ]);
  expect(joined(avccToAnnexB(sample, parseAvcConfig(RECORD), false))).toEqual(Buffer.from([
    0x00, 0x00, 0x00, 0x01, 0x09, 0xf0, // AUD
    0x00, 0x00, 0x00, 0x01, 0x41, 0x9a, // slice
  ]));
});

test('2-byte NAL length prefixes (lengthSizeMinusOne 1)', () => {
  const record = Buffer.from(RECORD);
  record[4] = 0xfd; // lengthSizeMinusOne 1
  const out = joined(avccToAnnexB(Buffer.from([0x00, 0x02, 0x41, 0x9a, 0x00, 0x01, 0x0c]), parseAvcConfig(record), false));
  expect(out).toEqual(Buffer.from([
    0x00, 0x00, 0x00, 0x01, 0x09, 0xf0, // AUD
    0x00, 0x00, 0x00, 0x01, 0x41, 0x9a, // slice
    0x00, 0x00, 0x00, 0x01, 0x0c, // filler NAL (kept: only AUD/SPS/PPS are replaced)
  ]));
});

test('a sample holding only parameter sets carries no picture: null', () => {
  expect(avccToAnnexB(Buffer.from([0x00, 0x00, 0x00, 0x02, 0x67, 0xaa]), parseAvcConfig(RECORD), true)).toBeNull();
});

test('a NAL length that overruns the sample is a typed error', () => {
  expect(() => avccToAnnexB(Buffer.from([0x00, 0x00, 0x00, 0x09, 0x41, 0x9a]), parseAvcConfig(RECORD), false))
    .toThrow(expect.objectContaining({ name: 'CodecError', code: 'truncated_nal' }));
});

test('truncated or wrong-version config records are typed errors', () => {
  expect(() => parseAvcConfig(RECORD.subarray(0, 9))).toThrow(CodecError);
  const v2 = Buffer.from(RECORD);
  v2[0] = 2;
  expect(() => parseAvcConfig(v2)).toThrow(expect.objectContaining({ code: 'bad_avc_config' }));
});

test('parameter sets spliced right after the AUD of an inter frame', () => {
  const sets = annexBParameterSets(parseAvcConfig(RECORD));
  expect(sets).toEqual(Buffer.from([
    0x00, 0x00, 0x00, 0x01, 0x67, 0x64, 0x00, 0x1f, // SPS
    0x00, 0x00, 0x00, 0x01, 0x68, 0xee, // PPS
  ]));
  const au = Buffer.from([0x00, 0x00, 0x00, 0x01, 0x09, 0xf0, 0x00, 0x00, 0x00, 0x01, 0x41, 0x9a]);
  expect(joined(withParameterSets([au], sets))).toEqual(Buffer.from([
    0x00, 0x00, 0x00, 0x01, 0x09, 0xf0, // AUD stays first
    0x00, 0x00, 0x00, 0x01, 0x67, 0x64, 0x00, 0x1f, // SPS
    0x00, 0x00, 0x00, 0x01, 0x68, 0xee, // PPS
    0x00, 0x00, 0x00, 0x01, 0x41, 0x9a, // the slice
  ]));
});

test('NAL length size 3 is refused; 1-byte lengths work; two SPS and two PPS are all kept in order', () => {
  const three = Buffer.from(RECORD);
  three[4] = 0xfe; // lengthSizeMinusOne 2
  expect(() => parseAvcConfig(three)).toThrow(expect.objectContaining({ code: 'bad_avc_config', message: 'NAL length size 3 is not allowed' }));
  const record = Buffer.from([
    0x01, // configurationVersion
    0x42, 0x00, 0x0d, // Baseline, compatibility 0, level 1.3
    0xfc, // reserved '111111' + lengthSizeMinusOne 0
    0xe2, // reserved '111' + 2 SPS
    0x00, 0x02, 0x67, 0x01, // SPS a
    0x00, 0x03, 0x67, 0x02, 0x03, // SPS b
    0x02, // 2 PPS
    0x00, 0x01, 0x68, // PPS a
    0x00, 0x02, 0x68, 0x04, // PPS b
  ]);
  const c = parseAvcConfig(record);
  expect(avcCodecString(c)).toBe('avc1.42000d'); // every byte two hex digits
  expect(annexBParameterSets(c)).toEqual(Buffer.from([
    0x00, 0x00, 0x00, 0x01, 0x67, 0x01, // SPS a
    0x00, 0x00, 0x00, 0x01, 0x67, 0x02, 0x03, // SPS b
    0x00, 0x00, 0x00, 0x01, 0x68, // PPS a
    0x00, 0x00, 0x00, 0x01, 0x68, 0x04, // PPS b
  ]));
  // 1-byte lengths; an empty NAL unit is skipped, not written as a bare start code
  expect(joined(avccToAnnexB(Buffer.from([0x02, 0x41, 0x9a, 0x00, 0x01, 0x0c]), c, false))).toEqual(Buffer.from([
    0x00, 0x00, 0x00, 0x01, 0x09, 0xf0, // AUD
    0x00, 0x00, 0x00, 0x01, 0x41, 0x9a, // slice
    0x00, 0x00, 0x00, 0x01, 0x0c, // filler
  ]));
});

test('config records cut short at each field are typed errors naming what is missing', () => {
  const message = (rec: Buffer): string => {
    try {
      parseAvcConfig(rec);
      return 'accepted';
    } catch (err) {
      return (err as Error).message;
    }
  };
  expect([
    message(RECORD.subarray(0, 6)), // header only
    message(RECORD.subarray(0, 7)), // one byte of the SPS length
    message(RECORD.subarray(0, 11)), // SPS body short by one byte
    message(RECORD.subarray(0, 12)), // SPS whole, no PPS count
    message(RECORD.subarray(0, 14)), // PPS count 1, one byte of its length
    message(RECORD.subarray(0, 17)), // all 17 bytes: the exact length is enough
  ]).toEqual([
    'AVC config record is 6 bytes',
    'AVC config record truncated',
    'AVC config record truncated',
    'AVC config record has no PPS count',
    'AVC config record truncated',
    'accepted',
  ]);
});

test('a NAL length prefix cut short is a typed error', () => {
  // 4-byte lengths: a slice of 2 bytes, then 3 bytes of the next prefix
  expect(() => avccToAnnexB(Buffer.from([0x00, 0x00, 0x00, 0x02, 0x41, 0x9a, 0x00, 0x00, 0x00]), parseAvcConfig(RECORD), false))
    .toThrow(expect.objectContaining({ code: 'truncated_nal', message: 'NAL length prefix truncated' }));
});

test('withParameterSets splits a first chunk that holds more than the AUD; an empty unit gets an AUD', () => {
  const sets = Buffer.from([0x00, 0x00, 0x00, 0x01, 0x67, 0x01]);
  const one = Buffer.from([0x00, 0x00, 0x00, 0x01, 0x09, 0xf0, 0x00, 0x00, 0x00, 0x01, 0x41]); // AUD + slice in one chunk
  const out = withParameterSets([one, Buffer.from([0x9a])], sets);
  expect(out.map((c) => [...c])).toEqual([
    [0x00, 0x00, 0x00, 0x01, 0x09, 0xf0], // the AUD
    [0x00, 0x00, 0x00, 0x01, 0x67, 0x01], // the sets
    [0x00, 0x00, 0x00, 0x01, 0x41], // the rest of the first chunk
    [0x9a], // the other chunks, untouched
  ]);
  expect(out[0]!.buffer).toBe(one.buffer); // views, not copies
  expect(withParameterSets([], sets).map((c) => [...c])).toEqual([[0x00, 0x00, 0x00, 0x01, 0x09, 0xf0], [...sets]]);
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
  const v2 = Buffer.from(RECORD);
  v2[0] = 2;
  const c = parseAvcConfig(RECORD);
  expect([
    reason(() => parseAvcConfig(RECORD.subarray(0, 6))),
    reason(() => parseAvcConfig(v2)),
    reason(() => parseAvcConfig(RECORD.subarray(0, 7))), // one byte of the SPS length
    reason(() => parseAvcConfig(RECORD.subarray(0, 11))), // the SPS one byte short
    reason(() => parseAvcConfig(RECORD.subarray(0, 12))), // no PPS count
    reason(() => avccToAnnexB(Buffer.from([0x00, 0x00, 0x00, 0x09, 0x41]), c, false)),
    reason(() => avccToAnnexB(Buffer.from([0x00, 0x00, 0x01]), c, false)),
  ]).toEqual([
    'bad_avc_config: AVC config record is 6 bytes',
    'bad_avc_config: AVC config record version 2',
    'bad_avc_config: AVC config record truncated',
    'bad_avc_config: AVC config record truncated',
    'bad_avc_config: AVC config record has no PPS count',
    'truncated_nal: NAL unit of 9 bytes overruns the sample',
    'truncated_nal: NAL length prefix truncated',
  ]);
});

test('a record or a sample that ends exactly after a zero length is whole', () => {
  // the record with its PPS replaced by an empty one: its 2-byte length 0 is the last thing in it
  const emptyPps = Buffer.concat([RECORD.subarray(0, 13), Buffer.from([0x00, 0x00])]);
  expect(parseAvcConfig(emptyPps).pps).toEqual([Buffer.alloc(0)]);
  // a slice, then a 4-byte length prefix of 0 at the very end
  expect(joined(avccToAnnexB(Buffer.from([0x00, 0x00, 0x00, 0x02, 0x41, 0x9a, 0x00, 0x00, 0x00, 0x00]), parseAvcConfig(RECORD), false)))
    .toEqual(Buffer.from([0x00, 0x00, 0x00, 0x01, 0x09, 0xf0, 0x00, 0x00, 0x00, 0x01, 0x41, 0x9a]));
});
