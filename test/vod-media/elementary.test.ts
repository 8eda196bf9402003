// Byte tests of the replay MP4's pure stages: our TsMuxer's output demuxed back to the PES it muxed, Annex-B ↔
// AVCC, ADTS splitting and the AudioSpecificConfig / esds / avcC records.
import { TsMuxer, releaseTsChunks } from '../../server/media/hls';
import { adtsHeader, parseAacConfig } from '../../server/media/hls/adts';
import { accessUnitToAvcc, audioSpecificConfig, avcDecoderConfig, esDescriptor, splitAdts, splitAnnexB } from '../../server/vod-media/elementary';
import { TsDemuxError, demuxTs } from '../../server/vod-media/ts-demux';

const SPS = Buffer.from([0x67, 0x42, 0xc0, 0x1e, 0xd9, 0x00, 0xa0, 0x47, 0xfe, 0xc8]);
const PPS = Buffer.from([0x68, 0xce, 0x3c, 0x80]);
const IDR = Buffer.concat([Buffer.from([0x65, 0x88, 0x84]), Buffer.alloc(500, 0xab)]);
const P = Buffer.from([0x41, 0x9a, 0x02, 0x00, 0x00, 0x03, 0x01]);
const sc4 = Buffer.from([0, 0, 0, 1]);
const sc3 = Buffer.from([0, 0, 1]);

test('splitAnnexB handles 3- and 4-byte start codes and keeps emulation-prevented zeros', () => {
  const au = Buffer.concat([sc4, Buffer.from([0x09, 0xf0]), sc4, SPS, sc3, PPS, sc4, P]);
  expect(splitAnnexB(au)).toEqual([Buffer.from([0x09, 0xf0]), SPS, PPS, P]);
});

test('accessUnitToAvcc drops AUD/SPS/PPS, length-prefixes the rest, flags IDR and returns the sets', () => {
  const s = accessUnitToAvcc(Buffer.concat([sc4, Buffer.from([0x09, 0xf0]), sc4, SPS, sc4, PPS, sc4, IDR]));
  expect(s.key).toBe(true);
  expect(s.sps).toEqual(SPS);
  expect(s.pps).toEqual(PPS);
  expect(s.data.readUInt32BE(0)).toBe(IDR.length);
  expect(s.data.subarray(4)).toEqual(IDR);
  const p = accessUnitToAvcc(Buffer.concat([sc4, P]));
  expect(p.key).toBe(false);
  expect(p.sps).toBeNull();
});

test('avcDecoderConfig is the 14496-15 record', () => {
  const r = avcDecoderConfig(SPS, PPS);
  expect([...r.subarray(0, 8)]).toEqual([1, 0x42, 0xc0, 0x1e, 0xff, 0xe1, 0, SPS.length]);
  expect(r.subarray(8, 8 + SPS.length)).toEqual(SPS);
  expect([...r.subarray(8 + SPS.length, 11 + SPS.length)]).toEqual([1, 0, PPS.length]);
});

test('splitAdts gives the raw frames; audioSpecificConfig round-trips through our ADTS parser; esds layout', () => {
  const cfg = parseAacConfig(Buffer.from([0x12, 0x10])); // AAC-LC 44.1 kHz stereo
  const f1 = Buffer.alloc(100, 1);
  const f2 = Buffer.alloc(37, 2);
  const { frames, info } = splitAdts(Buffer.concat([adtsHeader(cfg, 100), f1, adtsHeader(cfg, 37), f2]));
  expect(frames).toEqual([f1, f2]);
  expect(info).toEqual({ objectType: 2, samplingIndex: 4, sampleRate: 44100, channels: 2 });
  expect([...audioSpecificConfig(info!)]).toEqual([0x12, 0x10]);
  const es = esDescriptor(Buffer.from([0x12, 0x10]), 2);
  expect(es[0]).toBe(0x03);
  expect(es.includes(Buffer.from([0x05, 0x80, 0x80, 0x80, 0x02, 0x12, 0x10]))).toBe(true);
  expect(es.subarray(-6)).toEqual(Buffer.from([0x06, 0x80, 0x80, 0x80, 0x01, 0x02]));
});

test('demuxTs returns what TsMuxer muxed: PES payloads with their PTS/DTS, video and audio', () => {
  const mux = new TsMuxer({});
  mux.setTracks({ video: true, audio: true });
  mux.segmentStart();
  const cfg = parseAacConfig(Buffer.from([0x12, 0x10]));
  const au1 = [sc4, Buffer.from([0x09, 0xf0]), sc4, SPS, sc4, PPS, sc4, IDR];
  const au2 = [sc4, Buffer.from([0x09, 0xf0]), sc4, P];
  mux.muxSample({ kind: 'video', dts: 900000, pts: 903600, key: true, chunks: au1 });
  mux.muxSample({ kind: 'audio', dts: 900000, pts: 900000, chunks: [adtsHeader(cfg, 50), Buffer.alloc(50, 5)] });
  mux.muxSample({ kind: 'video', dts: 903600, pts: 907200, key: false, chunks: au2 });
  mux.flush();
  const { chunks } = mux.takeOutput();
  const ts = demuxTs(Buffer.concat(chunks));
  releaseTsChunks(chunks);
  expect(ts.video.map((u) => u.data)).toEqual([Buffer.concat(au1), Buffer.concat(au2)]);
  const delay = ts.video[0]!.pts - 903600; // the muxer shifts every timestamp by one constant (PTS_DELAY_TICKS)
  expect(ts.video.map((u) => [u.dts - delay, u.pts - delay])).toEqual([[900000, 903600], [903600, 907200]]);
  expect(ts.audio).toHaveLength(1);
  expect(ts.audio[0]!.pts - delay).toBe(900000);
  expect(splitAdts(ts.audio[0]!.data).frames).toEqual([Buffer.alloc(50, 5)]);
  expect(() => demuxTs(Buffer.alloc(100))).toThrow(TsDemuxError);
});
