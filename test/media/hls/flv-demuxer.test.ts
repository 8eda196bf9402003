// FlvDemuxer: sequence headers → codec info; frames → Annex-B / ADTS samples with 90 kHz times.
import { FlvDemuxer } from '../../../server/media/hls/flv-demuxer';
import type { FlvTag, MediaSample, StreamConfig } from '../../../server/media/hls/types';

const video = (timestamp: number, body: number[]): FlvTag => ({ type: 9, timestamp, body: Buffer.from(body) });
const audio = (timestamp: number, body: number[]): FlvTag => ({ type: 8, timestamp, body: Buffer.from(body) });
/** a sample with its chunks joined into `data`, to compare bytes */
const joinedSample = (s: MediaSample | undefined): object | undefined => {
  if (!s) return s;
  const { chunks, ...rest } = s;
  return { ...rest, data: Buffer.concat(chunks) };
};

const AVC_SEQ = video(0, [
  0x17, // keyframe, codec 7 (AVC)
  0x00, // AVCPacketType 0: sequence header
  0x00, 0x00, 0x00, // composition time 0
  0x01, 0x42, 0xc0, 0x1e, 0xff, // version 1, Baseline, compat 0xC0, level 3.0, 4-byte lengths
  0xe1, 0x00, 0x04, 0x67, 0x42, 0xc0, 0x1e, // 1 SPS (truncated on purpose: picture size unknown)
  0x01, 0x00, 0x02, 0x68, 0xce, // 1 PPS
]);
const AAC_SEQ = audio(0, [
  0xaf, // AAC, 44 kHz, 16-bit, stereo flags
  0x00, // AACPacketType 0: AudioSpecificConfig
  0x12, 0x10, // AAC-LC, 44100, stereo
]);

/** the SPS/PPS of AVC_SEQ in Annex-B form */
const AVC_SEQ_SETS = Buffer.from([0x00, 0x00, 0x00, 0x01, 0x67, 0x42, 0xc0, 0x1e, 0x00, 0x00, 0x00, 0x01, 0x68, 0xce]);
const NO_CONFIG = { samples: [], config: null };
const config = (video: boolean, audio: boolean, parameterSets: Buffer | null = null): StreamConfig => ({ tracks: { video, audio }, parameterSets });
/** the samples of one tag */
const samples = (d: FlvDemuxer, tag: FlvTag): readonly MediaSample[] => d.push(tag).samples;

function demuxer(): FlvDemuxer {
  const d = new FlvDemuxer();
  expect(d.push(AVC_SEQ)).toEqual({ samples: [], config: config(true, false, AVC_SEQ_SETS) });
  expect(d.push(AAC_SEQ)).toEqual({ samples: [], config: config(true, true, AVC_SEQ_SETS) });
  return d;
}

test('sequence headers decide the tracks and codec info', () => {
  const d = demuxer(); // (each sequence header returned the tracks it completes)
  expect(d.info).toEqual({
    video: { codec: 'avc', codecString: 'avc1.42c01e', profile: 0x42, compatibility: 0xc0, level: 0x1e, nalLengthSize: 4, width: null, height: null },
    audio: { codec: 'aac', codecString: 'mp4a.40.2', objectType: 2, sampleRate: 44100, channels: 2 },
    unsupported: [],
  });
});

test('negative composition time (signed 24-bit) gives PTS before DTS', () => {
  const [s] = samples(demuxer(), video(1000, [
    0x27, // inter frame, AVC
    0x01, // NALU
    0xff, 0xff, 0xd8, // composition time -40 ms (two's complement)
    0x00, 0x00, 0x00, 0x02, 0x41, 0x9a, // non-IDR slice
  ]));
  expect(joinedSample(s)).toEqual({
    kind: 'video', dts: 90000, pts: 86400, key: false,
    data: Buffer.from([0x00, 0x00, 0x00, 0x01, 0x09, 0xf0, 0x00, 0x00, 0x00, 0x01, 0x41, 0x9a]),
  });
});

test('positive composition time and keyframe: SPS/PPS from the sequence header', () => {
  const [s] = samples(demuxer(), video(40, [
    0x17, 0x01, // keyframe NALU
    0x00, 0x00, 0x50, // +80 ms
    0x00, 0x00, 0x00, 0x02, 0x65, 0x88, // IDR
  ]));
  expect(joinedSample(s)).toEqual({
    kind: 'video', dts: 3600, pts: 10800, key: true,
    data: Buffer.from([
      0x00, 0x00, 0x00, 0x01, 0x09, 0xf0, // AUD
      0x00, 0x00, 0x00, 0x01, 0x67, 0x42, 0xc0, 0x1e, // SPS
      0x00, 0x00, 0x00, 0x01, 0x68, 0xce, // PPS
      0x00, 0x00, 0x00, 0x01, 0x65, 0x88, // IDR
    ]),
  });
});

test('an AAC frame comes out with its ADTS header', () => {
  const [s] = samples(demuxer(), audio(23, [0xaf, 0x01, 0x21, 0x10, 0x04]));
  expect(joinedSample(s)).toEqual({
    kind: 'audio', dts: 2070, pts: 2070,
    data: Buffer.from([
      0xff, 0xf1, 0x50, 0x80, // sync, LC, 44.1 kHz, stereo
      0x01, 0x5f, 0xfc, // frame length 10
      0x21, 0x10, 0x04, // raw AAC frame
    ]),
  });
});

test('frames before their sequence header are dropped', () => {
  const d = new FlvDemuxer();
  expect(d.push(video(0, [0x17, 0x01, 0, 0, 0, 0, 0, 0, 2, 0x65, 0x88]))).toEqual(NO_CONFIG);
  expect(d.push(audio(0, [0xaf, 0x01, 0x21]))).toEqual(NO_CONFIG);
});

test('HEVC (legacy codec 12 and enhanced RTMP) and MP3 are reported unsupported and ignored', () => {
  const d = new FlvDemuxer();
  expect(d.push(video(0, [0x1c, 0x00, 0, 0, 0, 0x01]))).toEqual(NO_CONFIG); // no config change: still no tracks
  expect(d.push(video(0, [0x90, 0x68, 0x76, 0x63, 0x31, 0x01]))).toEqual(NO_CONFIG); // IsExHeader, "hvc1"
  expect(d.push(audio(0, [0x2f, 0xff, 0xfb]))).toEqual(NO_CONFIG);
  expect(d.push(audio(20, [0x2f, 0xff, 0xfb]))).toEqual(NO_CONFIG); // reported once
  expect(d.info.unsupported).toEqual([
    'video codec HEVC is not supported',
    'video codec hvc1 (enhanced RTMP) is not supported',
    'audio format 2 is not supported (AAC only)',
  ]);
});

test('an AAC config with an explicit frequency is refused: audio track absent, reason recorded', () => {
  const d = new FlvDemuxer();
  expect(d.push(audio(0, [0xaf, 0x00, 0x17, 0x80, 0x00, 0x00, 0x00])).config).toEqual(config(false, false));
  expect(d.info.unsupported).toEqual(['explicit AAC sampling frequency cannot be carried in ADTS']);
});

test('truncated AVC bodies throw a typed error; reset() forgets configs', () => {
  const d = demuxer();
  expect(() => d.push(video(0, [0x27, 0x01]))).toThrow(expect.objectContaining({ name: 'FlvParseError', code: 'truncated' }));
  expect(d.reset()).toEqual(config(false, false));
  expect(d.info.video).toBeNull();
});

test.each([
  // SPS bytes copied from libx264 output: ffmpeg -f lavfi -i testsrc=size=320x180 -pix_fmt yuv420p (High, cropped 192→180)
  ['6764000cacd941419f9f011000000300100000030320f1429960', 320, 180],
  // testsrc=size=320x240 without -pix_fmt: libx264 picks yuv444p (High 4:4:4, chroma_format_idc 3)
  ['67f4000d919b28283f6022000003000200000300641e28532c', 320, 240],
])('the SPS gives the picture size after cropping (%s)', (hex, width, height) => {
  const d = new FlvDemuxer();
  const sps = [...Buffer.from(hex, 'hex')];
  d.push(video(0, [0x17, 0x00, 0, 0, 0, 0x01, sps[1]!, sps[2]!, sps[3]!, 0xff, 0xe1, 0x00, sps.length, ...sps, 0x01, 0x00, 0x02, 0x68, 0xeb]));
  expect([d.info.video?.width, d.info.video?.height]).toEqual([width, height]);
});

test('a config comes out only when a sequence header brings different parameters', () => {
  const d = demuxer();
  expect([d.push(AVC_SEQ), d.push(AAC_SEQ)]).toEqual([NO_CONFIG, NO_CONFIG]); // pushers resend identical headers
  const newSize = video(5000, [...AVC_SEQ.body.subarray(0, 5), 0x01, 0x42, 0xc0, 0x1f, 0xff, 0xe1, 0x00, 0x04, 0x67, 0x42, 0xc0, 0x1f, 0x01, 0x00, 0x02, 0x68, 0xce]);
  const sets = Buffer.from([0x00, 0x00, 0x00, 0x01, 0x67, 0x42, 0xc0, 0x1f, 0x00, 0x00, 0x00, 0x01, 0x68, 0xce]); // level 3.1 SPS, same PPS
  expect([d.push(newSize), d.info.video?.level]).toEqual([{ samples: [], config: config(true, true, sets) }, 0x1f]);
});

test('an ADTS header a pusher left inside the FLV frame is replaced, not doubled', () => {
  const [s] = samples(demuxer(), audio(23, [
    0xaf, 0x01, // AAC raw frame
    0xff, 0xf1, 0x50, 0x80, 0x01, 0x5f, 0xfc, // stray ADTS header (frame length 10)
    0x21, 0x10, 0x04, // the raw AAC frame
  ]));
  expect(Buffer.concat(s!.chunks)).toEqual(Buffer.from([0xff, 0xf1, 0x50, 0x80, 0x01, 0x5f, 0xfc, 0x21, 0x10, 0x04]));
  // a raw frame that merely starts with 0xFF 0xF1 but does not carry its own length is left alone
  const [t] = samples(demuxer(), audio(46, [0xaf, 0x01, 0xff, 0xf1, 0x50, 0x80, 0x09, 0x5f, 0xfc, 0x00]));
  expect(Buffer.concat(t!.chunks).subarray(7)).toEqual(Buffer.from([0xff, 0xf1, 0x50, 0x80, 0x09, 0x5f, 0xfc, 0x00]));
});

test('tags that carry no media give no sample and leave no trace: empty bodies, script data, command frames, end of sequence', () => {
  const d = demuxer();
  const before = d.info;
  expect([
    d.push(video(40, [])), // empty video tag (some pushers' keep-alives)
    d.push(audio(40, [])), // empty audio tag
    d.push({ type: 18, timestamp: 40, body: Buffer.from([0x02, 0x00, 0x0a]) }), // script data (onMetaData)
    d.push(video(40, [0x57, 0x00])), // frame type 5: video info/command frame (AVC)
    d.push(video(40, [0x17, 0x02, 0x00, 0x00, 0x00])), // AVC end of sequence
    d.push(audio(40, [0xaf, 0x02, 0x21])), // AAC packet type 2: not defined
    d.push(audio(40, [0xaf, 0x01])), // AAC raw frame with no bytes
    d.push(audio(40, [0xaf, 0x01, 0xff, 0xf1, 0x50, 0x80, 0x00, 0xff, 0xfc])), // a stray ADTS header and nothing else
  ].every((r) => r.samples.length === 0 && r.config === null)).toBe(true); // no config changed either
  expect(d.info).toBe(before); // nothing refused, nothing learnt: not even a new object
});

test('other video codec ids are named in the refusal; a 1-byte AAC tag is a typed error', () => {
  const d = new FlvDemuxer();
  expect(d.push(video(0, [0x22, 0x00]))).toEqual(NO_CONFIG); // inter frame, codec 2 (Sorenson H.263)
  expect(d.info.unsupported).toEqual(['video codec id 2 is not supported']);
  expect(() => d.push(audio(0, [0xaf]))).toThrow(expect.objectContaining({ name: 'FlvParseError', code: 'truncated', message: 'AAC tag body is 1 bytes' }));
});

test('a malformed AAC config is a typed error and keeps the config in use; a refused one removes the track', () => {
  const d = demuxer();
  expect(() => d.push(audio(100, [0xaf, 0x00, 0x16, 0x90]))).toThrow(expect.objectContaining({ name: 'CodecError', code: 'bad_aac_config' })); // reserved index 13
  expect(samples(d, audio(120, [0xaf, 0x01, 0x21]))).toHaveLength(1); // frames still come out with the old config
  // the next publisher's config is one ADTS cannot carry: the track goes, and its frames with it
  expect(d.push(audio(140, [0xaf, 0x00, 0x17, 0x80, 0x00, 0x00, 0x00])).config).toEqual(config(true, false, AVC_SEQ_SETS));
  expect(d.push(audio(160, [0xaf, 0x01, 0x21]))).toEqual(NO_CONFIG);
  // a resend of the refused config changes nothing (a new config would cut the segment as a discontinuity)
  expect(d.push(audio(180, [0xaf, 0x00, 0x17, 0x80, 0x00, 0x00, 0x00]))).toEqual(NO_CONFIG);
  expect(d.info.unsupported).toEqual(['explicit AAC sampling frequency cannot be carried in ADTS']);
  // the good config again: audio is back
  expect([d.push(AAC_SEQ).config, samples(d, audio(200, [0xaf, 0x01, 0x21])).length]).toEqual([config(true, true, AVC_SEQ_SETS), 1]);
});

test('an AVC config without SPS gives no picture size; a keyframe still gets the config PPS', () => {
  const d = new FlvDemuxer();
  const { config: seq } = d.push(video(0, [
    0x17, 0x00, 0x00, 0x00, 0x00, // keyframe, sequence header
    0x01, 0x42, 0xc0, 0x1e, 0xff, // version 1, Baseline, 4-byte lengths
    0xe0, // no SPS
    0x01, 0x00, 0x02, 0x68, 0xce, // 1 PPS
  ]));
  expect([d.info.video?.width, d.info.video?.height, seq]).toEqual([null, null, config(true, false, Buffer.from([0x00, 0x00, 0x00, 0x01, 0x68, 0xce]))]);
  const [s] = samples(d, video(40, [0x17, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x65, 0x88]));
  expect(Buffer.concat(s!.chunks)).toEqual(Buffer.from([
    0x00, 0x00, 0x00, 0x01, 0x09, 0xf0, // AUD
    0x00, 0x00, 0x00, 0x01, 0x68, 0xce, // PPS from the sequence header
    0x00, 0x00, 0x00, 0x01, 0x65, 0x88, // IDR
  ]));
});

test('a frame holding only parameter sets gives no sample; reset() drops the parameter sets and refusals', () => {
  const d = demuxer();
  d.push(video(0, [0x1c, 0x00, 0, 0, 0, 0x01])); // an HEVC tag refused on the way
  expect(d.push(video(40, [0x17, 0x01, 0, 0, 0, 0x00, 0x00, 0x00, 0x02, 0x67, 0xaa]))).toEqual(NO_CONFIG); // in-band SPS only
  expect([d.reset(), d.info]).toEqual([config(false, false), { video: null, audio: null, unsupported: [] }]);
  // after reset the same headers are news again
  expect(d.push(AVC_SEQ).config).toEqual(config(true, false, AVC_SEQ_SETS));
  expect(d.push(AAC_SEQ).config).toEqual(config(true, true, AVC_SEQ_SETS));
});

test('only AVC packet type 1 carries pictures: bytes after an end-of-sequence are not read as NAL units', () => {
  const d = demuxer();
  expect(d.push(video(40, [0x17, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x65, 0x88]))).toEqual(NO_CONFIG);
  expect(d.push(video(40, [0x17, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x65, 0x88]))).toEqual(NO_CONFIG); // undefined type 3
  expect(() => d.push(video(40, [0x27, 0x01, 0x00, 0x00]))).toThrow(expect.objectContaining({ code: 'truncated', message: 'AVC tag body is 4 bytes' }));
});
