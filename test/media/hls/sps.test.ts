// spsPictureSize: real x264 SPSs whose size is the one ffmpeg was asked for, and hand-built SPSs (field
// by field, Exp-Golomb written here) for the branches x264 never writes: scaling lists, POC type 1.
import { spsPictureSize } from '../../../server/media/hls/sps';

test.each([
  // ffmpeg -f lavfi -i testsrc=size=WxH -frames:v 1 -c:v libx264 <options> -f h264: the SPS NAL, as written
  ['Constrained Baseline (no chroma fields, POC type 2), no cropping', '6742c00bd902c4ec0440000003004000000c83c50a92', 176, 144], // -profile:v baseline
  ['Main, 180 lines cropped from 192', '674d400ceca0a0cfcf80880000030008000003019078a14cb0', 320, 180], // -profile:v main
  ['High interlaced: height in field-pair map units, crop in 4-line units', '67640015acd941410fcb808800000300080000030190f8a14cb0', 320, 240], // -x264-params interlaced=1
  ['High 4:2:2: vertical crop in single lines', '677a000cbcd941419f8dc044000003000400000300c83c50a658', 320, 180], // -pix_fmt yuv422p
  ['High monochrome (chroma_format_idc 0): crop in single pixels', '6764000cf36505067e37016c800000030080000019078a14cb', 320, 180], // -pix_fmt gray
  ['High 4:4:4 with an odd size: horizontal crop in single pixels', '67f4000d919b282a33c2119808800000030080000019078a14cb', 321, 181], // -pix_fmt yuv444p
  ['High 4:2:0 cropped 336 → 322: horizontal crop in 2-pixel units', '6764000dacd941519e227c0440000003004000000c83c50a6580', 322, 180], // -pix_fmt yuv420p
  ['High 4:2:2 cropped 336 → 322: horizontal crop in 2-pixel units', '677a000dbcd941519e2237011000000300100000030320f1429960', 322, 180], // -pix_fmt yuv422p
  ['High monochrome cropped 336 → 322: horizontal crop in single pixels', '6764000df365054678f8dc05b2000003000200000300641e28532c', 322, 180], // -pix_fmt gray
])('x264 SPS, %s', (_name, hex, width, height) => {
  expect(spsPictureSize(Buffer.from(hex, 'hex'))).toEqual({ width, height });
});

/** Bit string → bytes (RBSP stop bit and zero padding added), then emulation prevention as H.264 7.4.1 says. */
function nal(fields: string[]): Buffer {
  let bits = fields.join('') + '1';
  while (bits.length % 8) bits += '0';
  const rbsp = Array.from({ length: bits.length / 8 }, (_, i) => parseInt(bits.slice(i * 8, i * 8 + 8), 2));
  const out = [0x67]; // NAL header: nal_ref_idc 3, type 7 (SPS)
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros === 2 && b <= 3) {
      out.push(0x03);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Buffer.from(out);
}
const u = (n: number, v: number): string => v.toString(2).padStart(n, '0');
/** unsigned Exp-Golomb: (len-1) zeros, then v+1 in binary */
const ue = (v: number): string => '0'.repeat((v + 1).toString(2).length - 1) + (v + 1).toString(2);
/** signed Exp-Golomb: k > 0 → 2k - 1, k <= 0 → -2k */
const se = (k: number): string => ue(k > 0 ? 2 * k - 1 : -2 * k);

/** The SPS fields from log2_max_frame_num on, for a 320x180 progressive picture (192 lines, 6 × 2 cropped). */
const TAIL_320x180 = [
  ue(0), // log2_max_frame_num_minus4
  ue(0), // pic_order_cnt_type 0
  ue(2), // log2_max_pic_order_cnt_lsb_minus4
  ue(1), // max_num_ref_frames
  '0', // gaps_in_frame_num_value_allowed_flag
  ue(19), // pic_width_in_mbs_minus1: 20 MBs = 320
  ue(11), // pic_height_in_map_units_minus1: 12 MBs = 192
  '1', // frame_mbs_only_flag
  '1', // direct_8x8_inference_flag
  '1', ue(0), ue(0), ue(0), ue(6), // frame_cropping_flag; left, right, top 0; bottom 6 (× 2 lines in 4:2:0)
  '0', // vui_parameters_present_flag
];

test('High 4:2:0 with a scaling matrix: default, explicit, and early-ending lists are all stepped over', () => {
  const sps = nal([
    u(8, 100), u(8, 0), u(8, 30), // profile_idc High, constraint flags, level 3.0
    ue(0), // seq_parameter_set_id
    ue(1), // chroma_format_idc 4:2:0
    ue(0), ue(0), // bit depths 8
    '0', // qpprime_y_zero_transform_bypass_flag
    '1', // seq_scaling_matrix_present_flag: 8 list flags follow
    '1', se(-8), // list 0 (4x4): delta -8 → next scale 0 at j = 0: "use the default list", one delta read
    '0', // list 1 absent
    '1', se(3), se(-11), // list 2: 8 → 11, then 11 - 11 = 0: the rest repeats 11, two deltas read
    '1', ...Array(16).fill(se(0)), // list 3: 16 deltas of 0 (flat 8)
    '0', '0', // lists 4, 5 absent
    '1', se(120), se(127), se(8), ...Array(61).fill(se(0)), // list 6 (8x8): 8 → 128 → 255 → 263 mod 256 = 7, never 0: 64 deltas
    '1', se(-8), // list 7 (8x8): default
    ...TAIL_320x180,
  ]);
  expect(spsPictureSize(sps)).toEqual({ width: 320, height: 180 });
});

test('High 4:4:4 reads 12 scaling list flags and the separate_colour_plane flag', () => {
  const sps = nal([
    u(8, 244), u(8, 0), u(8, 30), // High 4:4:4 Predictive
    ue(0), // seq_parameter_set_id
    ue(3), // chroma_format_idc 4:4:4
    '0', // separate_colour_plane_flag
    ue(0), ue(0), '0', // bit depths, transform bypass
    '1', // seq_scaling_matrix_present_flag
    '0', '0', '0', '0', '0', '0', // 4x4 lists 0–5 absent
    '0', '0', '0', '0', // 8x8 lists 6–9 absent
    '1', se(-8), '1', se(-8), // 8x8 lists 10, 11 (4:4:4 only): default
    ue(0), ue(0), ue(2), ue(1), '0', ue(19), ue(11), '1', '1', // as TAIL_320x180, up to direct_8x8
    '1', ue(0), ue(0), ue(0), ue(12), // cropping: bottom 12 single lines (4:4:4 has no subsampling)
    '0',
  ]);
  expect(spsPictureSize(sps)).toEqual({ width: 320, height: 180 });
});

test('POC type 1: its cycle of reference frame offsets is stepped over; a cycle over 255 is refused', () => {
  const head = [u(8, 66), u(8, 0xc0), u(8, 30), ue(0)]; // Baseline: no chroma fields; seq_parameter_set_id 0
  const poc1 = (cycle: number[]): string[] => [
    ue(0), // log2_max_frame_num_minus4
    ue(1), // pic_order_cnt_type 1
    '0', // delta_pic_order_always_zero_flag
    se(-2), // offset_for_non_ref_pic
    se(1), // offset_for_top_to_bottom_field
    ue(cycle.length), // num_ref_frames_in_pic_order_cnt_cycle
    ...cycle.map(se), // offset_for_ref_frame[i]
  ];
  const rest = TAIL_320x180.slice(3); // from max_num_ref_frames on
  expect(spsPictureSize(nal([...head, ...poc1([3, -1, 0]), ...rest]))).toEqual({ width: 320, height: 180 });
  expect(spsPictureSize(nal([...head, ...poc1(Array(255).fill(0)), ...rest]))).toEqual({ width: 320, height: 180 }); // the most allowed
  expect(spsPictureSize(nal([...head, ...poc1(Array(256).fill(0)), ...rest]))).toBeNull();
});

test('interlaced 4:2:0 with mb_adaptive_frame_field: crop counts 4 lines per unit', () => {
  const sps = nal([
    u(8, 77), u(8, 0), u(8, 30), ue(0), // Main: no chroma fields
    ue(0), ue(0), ue(2), ue(1), '0', // frame_num, POC type 0, POC lsb, refs, gaps
    ue(19), // 320 wide
    ue(7), // 8 map units of field-pair MB rows = 256 lines
    '0', // frame_mbs_only_flag 0: fields
    '1', // mb_adaptive_frame_field_flag
    '1', // direct_8x8_inference_flag
    '1', ue(0), ue(0), ue(0), ue(4), // bottom crop 4 units × (2 × 2) lines = 16
    '0',
  ]);
  expect(spsPictureSize(sps)).toEqual({ width: 320, height: 240 });
});

test('a truncated SPS or an Exp-Golomb code longer than 32 bits gives null, not a throw', () => {
  const whole = Buffer.from('6742c00bd902c4ec0440000003004000000c83c50a92', 'hex');
  expect(spsPictureSize(whole.subarray(0, 6))).toBeNull();
  expect(spsPictureSize(Buffer.from([0x67]))).toBeNull();
  // profile 66, flags, level, then 32 zero bits and a 1: too long for any field
  expect(spsPictureSize(Buffer.from([0x67, 66, 0, 30, 0, 0, 0, 0, 0x80]))).toBeNull();
});

test('emulation prevention bytes before the size fields are dropped before reading', () => {
  // constraint flags 0 and level 0, then a 6-zero Exp-Golomb code: the bytes 00 00 02 must be sent as 00 00 03 02
  const sps = nal([u(8, 66), u(8, 0), u(8, 0), ue(63), ...TAIL_320x180]);
  expect([...sps.subarray(0, 6)]).toEqual([0x67, 66, 0x00, 0x00, 0x03, 0x02]);
  expect(spsPictureSize(sps)).toEqual({ width: 320, height: 180 });
});

test('a 03 byte after fewer than two zeros, and a byte above 03 after two zeros, are data', () => {
  // level_idc 3 right after constraint flags 0: one zero, then 03
  const lone = nal([u(8, 66), u(8, 0), u(8, 3), ...[ue(0)], ...TAIL_320x180]);
  expect([...lone.subarray(0, 4)]).toEqual([0x67, 66, 0x00, 0x03]);
  expect(spsPictureSize(lone)).toEqual({ width: 320, height: 180 });
  // constraint flags 0, level 0, then a 5-zero Exp-Golomb code: 00 00 04 needs no escape
  const high = nal([u(8, 66), u(8, 0), u(8, 0), ue(31), ...TAIL_320x180]);
  expect([...high.subarray(0, 5)]).toEqual([0x67, 66, 0x00, 0x00, 0x04]);
  expect(spsPictureSize(high)).toEqual({ width: 320, height: 180 });
});

test('an SPS that ends right before a flag gives null, not a flag read as 0', () => {
  // 56 bits exactly, no stop bit: everything up to pic_height_in_map_units, then frame_mbs_only_flag is missing
  const bits = [u(8, 66), u(8, 0), u(8, 30), ue(7), ...TAIL_320x180.slice(0, 7)].join('');
  expect(bits.length).toBe(56);
  const sps = Buffer.from([0x67, ...Array.from({ length: 7 }, (_, i) => parseInt(bits.slice(i * 8, i * 8 + 8), 2))]);
  expect(spsPictureSize(sps)).toBeNull();
  // the same with the flags present reads
  expect(spsPictureSize(nal([u(8, 66), u(8, 0), u(8, 30), ue(7), ...TAIL_320x180]))).toEqual({ width: 320, height: 180 });
});

test('a 31-zero Exp-Golomb code is still read (2^31 - 1 + 31 bits)', () => {
  // seq_parameter_set_id = 2^31 - 1 is out of range for H.264 but readable: the reader's limit is 31 zeros
  const sps = nal([u(8, 66), u(8, 0), u(8, 30), '0'.repeat(31) + '1' + '0'.repeat(31), ...TAIL_320x180]);
  expect(spsPictureSize(sps)).toEqual({ width: 320, height: 180 });
});
