// StreamProbe reads codec facts from hand-built FLV tags.
import { avcPictureSize, StreamProbe } from '../../../server/media/rtmp/stream-probe';

/** Bits to bytes, with H.264 exp-Golomb codes; pads with the RBSP stop bit. */
class Bits {
  private bits: number[] = [];
  u(n: number, v: number): this {
    for (let i = n - 1; i >= 0; i--) this.bits.push(Math.floor(v / 2 ** i) % 2);
    return this;
  }
  ue(v: number): this {
    const len = Math.floor(Math.log2(v + 1));
    return this.u(len, 0).u(len + 1, v + 1);
  }
  bytes(): Buffer {
    const bits = [...this.bits, 1];
    while (bits.length % 8) bits.push(0);
    return Buffer.from(Array.from({ length: bits.length / 8 }, (_, i) => parseInt(bits.slice(i * 8, i * 8 + 8).join(''), 2)));
  }
}

/** An SPS NAL unit: baseline profile, the given size in macroblocks, POC type 2 (or 1 with a cycle count). */
function sps(widthMbs: number, heightMbs: number, pocCycle?: number): Buffer {
  const b = new Bits()
    .u(8, 0x67) // NAL header: nal_ref_idc 3, type 7 (SPS)
    .u(8, 66) // profile_idc: baseline
    .u(8, 0xc0) // constraint_set0/1 flags
    .u(8, 13) // level_idc 1.3
    .ue(0) // seq_parameter_set_id
    .ue(0); // log2_max_frame_num_minus4
  if (pocCycle === undefined) b.ue(2); // pic_order_cnt_type 2: nothing more
  else {
    b.ue(1).u(1, 0).ue(0).ue(0).ue(pocCycle); // type 1: flag, two offsets, num_ref_frames_in_pic_order_cnt_cycle
    // offset_for_ref_frame[i] (se(0) codes as ue(0)); a crafted count claims far more entries than it carries
    for (let i = 0; i < (pocCycle <= 256 ? pocCycle : 0); i++) b.ue(0);
  }
  return b
    .ue(1) // max_num_ref_frames
    .u(1, 0) // gaps_in_frame_num_value_allowed_flag
    .ue(widthMbs - 1) // pic_width_in_mbs_minus1
    .ue(heightMbs - 1) // pic_height_in_map_units_minus1
    .u(1, 1) // frame_mbs_only_flag
    .u(1, 1) // direct_8x8_inference_flag
    .u(1, 0) // frame_cropping_flag
    .u(1, 0) // vui_parameters_present_flag
    .bytes();
}

/** An FLV tag: 11-byte header (type, size, timestamp, stream id), body, previous-tag-size. */
function tag(type: number, body: Buffer, dts = 0): Buffer {
  const h = Buffer.alloc(11);
  h[0] = type;
  h.writeUIntBE(body.length, 1, 3);
  h.writeUIntBE(dts & 0xffffff, 4, 3);
  h[7] = Math.floor(dts / 0x1000000);
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(11 + body.length);
  return Buffer.concat([h, body, trailer]);
}

/** FLV video body of an AVC sequence header holding one SPS (and no PPS). */
function avcSeqHeader(spsNal: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(spsNal.length);
  return Buffer.concat([
    Buffer.from([0x17, 0x00, 0, 0, 0]), // keyframe + AVC, packet type 0 (sequence header), composition time 0
    Buffer.from([0x01, 66, 0xc0, 13, 0xff, 0xe1]), // version 1, profile, compat, level, 4-byte lengths, 1 SPS
    len,
    spsNal,
    Buffer.from([0x00]), // 0 PPS
  ]);
}

test('H.264 picture size from the SPS of an AVC sequence header; fps from video timestamps', () => {
  const probe = new StreamProbe();
  probe.onTag(tag(9, avcSeqHeader(sps(20, 15))));
  expect(probe.video).toEqual({ codec: 'H264', width: 320, height: 240, fps: 0 });
  for (let i = 0; i < 30; i++) probe.onTag(tag(9, Buffer.from([i ? 0x27 : 0x17, 0x01, 0, 0, 0, 0xaa]), i * 40));
  expect(probe.fps).toBe(25);
});

test('the POC cycle count is capped at the spec maximum (255), so a crafted huge count costs no loop', () => {
  // the cap bounds the work to 255 steps whatever the SPS claims: 255 entries parse, 256 are refused
  expect(avcPictureSize(avcSeqHeader(sps(20, 15, 3)))).toEqual({ width: 320, height: 240 });
  expect(avcPictureSize(avcSeqHeader(sps(20, 15, 255)))).toEqual({ width: 320, height: 240 });
  expect(avcPictureSize(avcSeqHeader(sps(20, 15, 256)))).toBeNull();
  // 2^30 claimed (over a billion steps uncapped): refused at the count
  expect(avcPictureSize(avcSeqHeader(sps(20, 15, 2 ** 30)))).toBeNull();
});

test('AAC sample rate and channels from the AudioSpecificConfig; other codecs from the FLV audio header', () => {
  const aac = new StreamProbe();
  // 0xaf: AAC, 44 kHz, 16-bit, stereo flags (ignored for AAC); 0x00: sequence header;
  // ASC 0x11 0x90: object type 2 (LC), frequency index 3 (48000), channel config 2
  aac.onTag(tag(8, Buffer.from([0xaf, 0x00, 0x11, 0x90])));
  expect(aac.audio).toEqual({ codec: 'AAC', sampleRate: 48000, channels: 2 });
  const mp3 = new StreamProbe();
  mp3.onTag(tag(8, Buffer.from([0x2a, 0xff, 0xfb]))); // 0x2a: MP3 (2), rate index 2 (22050), 16-bit, mono
  expect(mp3.audio).toEqual({ codec: 'MP3', sampleRate: 22050, channels: 1 });
});

test('enhanced-RTMP HEVC is named; headers, script tags and empty or short tags are ignored safely', () => {
  const probe = new StreamProbe();
  probe.onTag(Buffer.from('FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00', 'latin1'));
  probe.onTag(tag(18, Buffer.from([0x02, 0x00, 0x00])));
  probe.onTag(tag(9, Buffer.alloc(0)));
  probe.onTag(tag(8, Buffer.alloc(0)));
  expect(probe.video).toBeNull();
  expect(probe.audio).toBeNull();
  // 0x90: ex-header flag + keyframe, packet type 0 (sequence start), fourcc hvc1
  probe.onTag(tag(9, Buffer.concat([Buffer.from([0x90]), Buffer.from('hvc1'), Buffer.alloc(4)])));
  expect(probe.video?.codec).toBe('H265');
  expect(avcPictureSize(Buffer.from([0x17, 0x00, 0, 0, 0, 1]))).toBeNull();
});
