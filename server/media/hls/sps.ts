// Reads the picture size from an H.264 sequence parameter set (ITU-T H.264 7.3.2.1.1), for stats only.

/** Exp-Golomb bit reader over an RBSP (emulation-prevention bytes already removed). */
class ExpGolomb {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  bit(): number {
    const byte = this.buf[this.pos >> 3];
    if (byte === undefined) throw new RangeError('SPS truncated');
    const b = (byte >> (7 - (this.pos & 7))) & 1;
    this.pos++;
    return b;
  }
  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 2 + this.bit();
    return v;
  }
  ue(): number {
    let zeros = 0;
    while (this.bit() === 0) if (++zeros > 31) throw new RangeError('bad Exp-Golomb code');
    return 2 ** zeros - 1 + this.bits(zeros);
  }
  se(): number {
    const k = this.ue();
    return k % 2 === 1 ? (k + 1) / 2 : -k / 2;
  }
}

/** Drops the 0x03 of every 00 00 03 sequence (NAL → RBSP). */
function unescape(nal: Buffer): Buffer {
  const out = Buffer.allocUnsafe(nal.length);
  let w = 0;
  let zeros = 0;
  for (let i = 0; i < nal.length; i++) {
    const b = nal[i]!;
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    zeros = b === 0 ? zeros + 1 : 0;
    out[w++] = b;
  }
  return out.subarray(0, w);
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

function skipScalingList(r: ExpGolomb, size: number): void {
  let last = 8;
  for (let j = 0; j < size; j++) {
    const next = (last + r.se() + 256) % 256;
    if (next === 0) return; // the rest of the list repeats the last scale: no more deltas are coded
    last = next;
  }
}

/** Width and height in pixels after cropping, or null if the SPS cannot be read. */
export function spsPictureSize(sps: Buffer): { width: number; height: number } | null {
  try {
    const r = new ExpGolomb(unescape(sps.subarray(1))); // skip the NAL header byte
    const profile = r.bits(8);
    r.bits(16); // constraint flags, level_idc
    r.ue(); // seq_parameter_set_id
    let chroma = 1;
    if (HIGH_PROFILES.has(profile)) {
      chroma = r.ue();
      if (chroma === 3) r.bit(); // separate_colour_plane_flag
      r.ue(); // bit_depth_luma_minus8
      r.ue(); // bit_depth_chroma_minus8
      r.bit(); // qpprime_y_zero_transform_bypass_flag
      if (r.bit()) for (let i = 0; i < (chroma !== 3 ? 8 : 12); i++) if (r.bit()) skipScalingList(r, i < 6 ? 16 : 64);
    }
    r.ue(); // log2_max_frame_num_minus4
    const pocType = r.ue();
    if (pocType === 0) r.ue();
    else if (pocType === 1) {
      r.bit();
      r.se();
      r.se();
      const n = r.ue();
      if (n > 255) return null; // num_ref_frames_in_pic_order_cnt_cycle is at most 255
      for (let i = 0; i < n; i++) r.se();
    }
    r.ue(); // max_num_ref_frames
    r.bit(); // gaps_in_frame_num_value_allowed_flag
    const widthMbs = r.ue() + 1;
    const heightUnits = r.ue() + 1;
    const frameMbsOnly = r.bit();
    if (!frameMbsOnly) r.bit(); // mb_adaptive_frame_field_flag
    r.bit(); // direct_8x8_inference_flag
    let crop = [0, 0, 0, 0];
    if (r.bit()) crop = [r.ue(), r.ue(), r.ue(), r.ue()];
    // SubWidthC/SubHeightC (table 6-1); monochrome has none, and its crop unit is 1 like the value used here
    const subW = chroma === 1 || chroma === 2 ? 2 : 1;
    const subH = chroma === 1 ? 2 : 1;
    const cropX = subW;
    const cropY = subH * (2 - frameMbsOnly);
    return {
      width: widthMbs * 16 - cropX * (crop[0]! + crop[1]!),
      height: (2 - frameMbsOnly) * heightUnits * 16 - cropY * (crop[2]! + crop[3]!),
    };
  } catch {
    return null;
  }
}
