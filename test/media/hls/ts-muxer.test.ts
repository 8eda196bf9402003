// TsMuxer: PES packetization, adaptation fields (PCR, stuffing), continuity counters, audio gathering.
import { TsMuxer } from '../../../server/media/hls/ts-muxer';
import type { AudioSample, VideoSample } from '../../../server/media/hls/types';
import { pcrBase, pesTimestamp, readTsPackets } from './helpers/ts-reader';

const vsample = (dts: number, size: number, key = false, pts = dts): VideoSample =>
  ({ kind: 'video', dts, pts, key, chunks: [Buffer.alloc(size, 0xab)] });
const asample = (dts: number, size = 20, byte = 0xcd): AudioSample =>
  ({ kind: 'audio', dts, pts: dts, chunks: [Buffer.alloc(size, byte)] });
/** what the muxer wrote since the last call, in one buffer */
const written = (m: TsMuxer): Buffer => Buffer.concat(m.takeOutput().chunks);
const mux = (m: TsMuxer, s: VideoSample | AudioSample): Buffer => {
  m.muxSample(s);
  return written(m);
};
const flushed = (m: TsMuxer): Buffer => {
  m.flush();
  return written(m);
};
const started = (m: TsMuxer): Buffer => {
  m.segmentStart();
  return written(m);
};

test('a small keyframe: one packet, PCR + random access, stuffing inside the adaptation field', () => {
  const m = new TsMuxer();
  m.setTracks({ video: true, audio: true });
  const expected = Buffer.from([
    0x47, 0x41, 0x00, // sync, payload_unit_start, PID 0x100
    0x30, // adaptation field + payload, CC 0
    0x9f, // adaptation_field_length 159 = flags 1 + PCR 6 + stuffing 152
    0x50, // random_access_indicator, PCR_flag
    0x00, 0x00, 0x00, 0x00, 0x7e, 0x00, // PCR base 0 (= DTS), reserved bits, extension 0
    ...new Array(152).fill(0xff), // stuffing: 184 - 8 - 24 bytes of PES
    0x00, 0x00, 0x01, 0xe0, // PES start code, video stream 0
    0x00, 0x12, // PES_packet_length 18 = 3 + 5 + 10
    0x80, 0x80, 0x05, // marker, PTS only, header length 5
    0x21, 0x00, 0x03, 0xec, 0x31, // PTS 63000 = DTS 0 + the 700 ms delay
    ...new Array(10).fill(0xab), // the access unit
  ]);
  expect(mux(m, vsample(0, 10, true))).toEqual(expected);
});

test('a larger frame spans packets; the last one is padded by an adaptation field; CC runs on', () => {
  const m = new TsMuxer();
  m.setTracks({ video: true, audio: false });
  const first = readTsPackets(mux(m, vsample(0, 400, false, 7200)));
  const second = readTsPackets(mux(m, vsample(3600, 50, false, 3600)));
  // 19-byte header (PTS+DTS) + 400 bytes: 176 in the PCR packet, 184, then 59 + stuffing
  expect(first.map((p) => [p.pid, p.unitStart, p.cc, p.adaptation?.length ?? -1, p.payload.length])).toEqual([
    [0x100, true, 0, 7, 176],
    [0x100, false, 1, -1, 184],
    [0x100, false, 2, 124, 59],
  ]);
  expect(second.map((p) => p.cc)).toEqual([3]);
  const pes = Buffer.concat(first.map((p) => p.payload));
  expect([pesTimestamp(pes, 9), pesTimestamp(pes, 14)]).toEqual([7200 + 63000, 63000]); // PTS, DTS
  expect(pes.subarray(19)).toEqual(Buffer.alloc(400, 0xab));
  expect(pcrBase(first[0]!.adaptation!)).toBe(0);
  expect(pcrBase(readTsPackets(mux(m, vsample(7200, 10)))[0]!.adaptation!)).toBe(7200);
});

test('audio frames are gathered into one PES spanning >= audioPesMaxTicks, PTS of the first', () => {
  const m = new TsMuxer({ audioPesMaxTicks: 5000 });
  m.setTracks({ video: true, audio: true });
  const outs = [0, 1920, 3840].map((t, i) => mux(m, asample(t, 20, i)));
  expect(outs.map((b) => b.length)).toEqual([0, 0, 0]);
  const pkts = readTsPackets(mux(m, asample(5760, 20, 3)));
  expect(pkts.map((p) => [p.pid, p.unitStart, p.cc])).toEqual([[0x101, true, 0]]);
  const pes = pkts[0]!.payload;
  expect(pes.readUInt16BE(4)).toBe(3 + 5 + 80); // PES_packet_length: four 20-byte frames
  expect(pesTimestamp(pes, 9)).toBe(63000);
  expect(pes.subarray(14)).toEqual(Buffer.concat([0, 1, 2, 3].map((b) => Buffer.alloc(20, b))));
  expect(pcrBase(pkts[0]!.adaptation ?? Buffer.from([0]))).toBeNull(); // PCR rides on video in A+V
  expect(flushed(m).length).toBe(0);
});

test('audio-only: PCR on the audio PID, one frame per PES; with video, flush() emits what is gathered', () => {
  const m = new TsMuxer({ audioPesMaxTicks: 0 });
  m.setTracks({ video: false, audio: true });
  const pkts = readTsPackets(mux(m, asample(9000)));
  expect(pkts[0]!.pid).toBe(0x101);
  expect(pcrBase(pkts[0]!.adaptation!)).toBe(9000);
  // frames are never gathered without video, whatever the option says
  const gathering = new TsMuxer({ audioPesMaxTicks: 90000 });
  gathering.setTracks({ video: false, audio: true });
  expect(readTsPackets(mux(gathering, asample(0))).map((p) => p.pid)).toEqual([0x101]);
  expect(flushed(gathering).length).toBe(0);
  // next to video they are, until flush()
  gathering.setTracks({ video: true, audio: true });
  expect(mux(gathering, asample(1920)).length).toBe(0);
  expect(readTsPackets(flushed(gathering)).map((p) => p.pid)).toEqual([0x101]);
});

test('segmentStart: PAT then PMT, counters persist across segments', () => {
  const m = new TsMuxer();
  m.setTracks({ video: true, audio: true });
  const a = readTsPackets(started(m));
  const b = readTsPackets(started(m));
  expect([...a, ...b].map((p) => [p.pid, p.cc])).toEqual([[0, 0], [0x1000, 0], [0, 1], [0x1000, 1]]);
});

test('a PES exactly filling its packets needs no stuffing; one byte short gets a 1-byte adaptation field', () => {
  const m = new TsMuxer();
  m.setTracks({ video: true, audio: true });
  // 14-byte PES header + 162 = 176 = room left after the 8-byte PCR adaptation field
  expect(readTsPackets(mux(m, vsample(0, 162))).map((p) => p.adaptation?.length)).toEqual([7]);
  // every video PES carries a PCR, so 161 bytes leaves 1 byte for stuffing
  expect(readTsPackets(mux(m, vsample(3600, 161))).map((p) => p.adaptation?.length)).toEqual([8]);
  // a second packet with 183 bytes: a lone adaptation_field_length byte of 0
  const two = readTsPackets(mux(m, vsample(7200, 162 + 183)));
  expect(two.map((p) => [p.adaptation?.length ?? -1, p.payload.length])).toEqual([[7, 176], [0, 183]]);
});

test('a gathered audio PES never outgrows the 16-bit PES_packet_length', () => {
  const m = new TsMuxer({ audioPesMaxTicks: 90000 * 10 });
  m.setTracks({ video: true, audio: true });
  const big = [0, 1, 2, 3, 4].map((i) => mux(m, asample(i * 1920, 20000, i)));
  // 20000-byte frames: three fit under 65535, the fourth starts a new PES
  const pes = readTsPackets(Buffer.concat(big)).filter((p) => p.unitStart).map((p) => p.payload.readUInt16BE(4));
  expect(pes).toEqual([3 + 5 + 60000]);
  expect(readTsPackets(flushed(m)).filter((p) => p.unitStart).map((p) => p.payload.readUInt16BE(4))).toEqual([3 + 5 + 40000]);
});

test('by default audio next to video is gathered until the PES spans 100 ms (9000 ticks): six 1920-tick frames', () => {
  const m = new TsMuxer();
  m.setTracks({ video: true, audio: true });
  // frames at 0 … 7680 span less than 9000 ticks; the one at 9600 completes the PES
  expect([0, 1920, 3840, 5760, 7680].map((t) => mux(m, asample(t, 10)).length)).toEqual([0, 0, 0, 0, 0]);
  const pes = readTsPackets(mux(m, asample(9600, 10))).map((p) => p.payload);
  expect(pes.map((p) => p.readUInt16BE(4))).toEqual([3 + 5 + 60]); // PES_packet_length: six 10-byte frames
});

test('a PES is written as soon as its frames span exactly audioPesMaxTicks', () => {
  const m = new TsMuxer({ audioPesMaxTicks: 3840 });
  m.setTracks({ video: true, audio: true });
  expect(mux(m, asample(0, 10)).length).toBe(0);
  expect(mux(m, asample(1920, 10)).length).toBe(0);
  expect(readTsPackets(mux(m, asample(3840, 10))).map((p) => p.payload.readUInt16BE(4))).toEqual([3 + 5 + 30]);
});

test('gathered audio may fill PES_packet_length to 65479 bytes; one byte more starts the next PES', () => {
  const m = new TsMuxer({ audioPesMaxTicks: 90000 * 10 });
  m.setTracks({ video: true, audio: true });
  // 65371 + 100 = 65471 frame bytes: PES_packet_length 3 + 5 + 65471 = 65479, the muxer's limit
  const gathered = [mux(m, asample(0, 65371, 1)), mux(m, asample(1920, 100, 2)), mux(m, asample(3840, 1, 3))];
  const lengths = (b: Buffer): number[] => readTsPackets(b).filter((p) => p.unitStart).map((p) => p.payload.readUInt16BE(4));
  expect(gathered.map(lengths)).toEqual([[], [], [3 + 5 + 65471]]);
  expect(lengths(flushed(m))).toEqual([3 + 5 + 1]);
});

test('audio-only: every audio PES is a random access point carrying the PCR; next to video it is neither', () => {
  const alone = new TsMuxer();
  alone.setTracks({ video: false, audio: true });
  const [first] = readTsPackets(mux(alone, asample(1920, 10)));
  expect(first!.adaptation!.subarray(0, 7)).toEqual(Buffer.from([
    0x50, // random_access_indicator + PCR_flag
    0x00, 0x00, 0x03, 0xc0, // PCR base 1920 (= the DTS): bits 32..1 are 960 = 0x3C0
    0x7e, // base bit 0 = 0, reserved, extension bit 8
    0x00, // extension
  ]));
  const withVideo = new TsMuxer({ audioPesMaxTicks: 0 });
  withVideo.setTracks({ video: true, audio: true });
  const [next] = readTsPackets(mux(withVideo, asample(1920, 10)));
  expect(next!.adaptation![0]).toBe(0x00); // stuffing only: no flags
});

test('a keyframe in a PMT without video gets random access but no PCR (the PCR PID is the audio one)', () => {
  const m = new TsMuxer();
  m.setTracks({ video: false, audio: true });
  const [p] = readTsPackets(mux(m, vsample(0, 10, true)));
  expect(p!.adaptation!.subarray(0, 2)).toEqual(Buffer.from([0x40, 0xff])); // random access only, then stuffing
});

test('a PES is read across its chunks, empty ones included; the continuity counter wraps after 15', () => {
  const m = new TsMuxer();
  m.setTracks({ video: true, audio: false });
  const chunks = [Buffer.from([1]), Buffer.alloc(0), Buffer.alloc(3000, 2), Buffer.from([3, 4, 5])];
  const pkts = readTsPackets(mux(m, { kind: 'video', dts: 0, pts: 0, key: false, chunks }));
  // 14-byte header + 3004 bytes = 3018: 176 after the PCR field, 15 × 184 = 2760, then the last 82: 17 packets
  expect(pkts.map((p) => p.cc)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0]);
  const es = Buffer.concat(pkts.map((p) => p.payload)).subarray(14);
  expect(es).toEqual(Buffer.concat(chunks));
});

test('without setTracks() the layout is audio + video: both streams in the PMT, PCR on the video PES', () => {
  const m = new TsMuxer();
  const pmt = readTsPackets(started(m))[1]!.payload;
  expect(pmt.subarray(1, 1 + 3 + 9 + 10)).toEqual(Buffer.from([
    0x02, 0xb0, 0x17, // table_id PMT, section_length 23
    0x00, 0x01, 0xc1, 0x00, 0x00, // program 1, version 0 current, section 0 of 0
    0xe1, 0x00, // PCR_PID 0x100 (video)
    0xf0, 0x00, // program_info_length 0
    0x1b, 0xe1, 0x00, 0xf0, 0x00, // H.264 on 0x100
    0x0f, 0xe1, 0x01, 0xf0, 0x00, // ADTS AAC on 0x101
  ]));
  expect(pcrBase(readTsPackets(mux(m, vsample(3600, 10)))[0]!.adaptation!)).toBe(3600);
});

test('gathering measures the span between frames, not their timestamps: from 1 s on, 1920-tick frames still gather', () => {
  const m = new TsMuxer({ audioPesMaxTicks: 3840 });
  m.setTracks({ video: true, audio: true });
  expect([90000, 91920].map((t) => mux(m, asample(t, 10)).length)).toEqual([0, 0]);
  expect(readTsPackets(mux(m, asample(93840, 10))).map((p) => p.payload.readUInt16BE(4))).toEqual([3 + 5 + 30]);
});

test('a PES that fills its packet exactly gets no adaptation field when it needs no flags', () => {
  const m = new TsMuxer({ audioPesMaxTicks: 0 });
  m.setTracks({ video: true, audio: true });
  // 14-byte PES header + 170 bytes = 184: one packet, payload only
  const pkts = readTsPackets(mux(m, asample(0, 170)));
  expect(pkts.map((p) => [p.pid, p.adaptation, p.payload.length])).toEqual([[0x101, null, 184]]);
});

test('only the first packet of a keyframe PES carries PCR and random access; the last one is plain stuffing', () => {
  const m = new TsMuxer();
  m.setTracks({ video: true, audio: false });
  const pkts = readTsPackets(mux(m, vsample(0, 400, true)));
  expect(pkts.map((p) => p.adaptation?.[0] ?? null)).toEqual([
    0x50, // random access + PCR
    null, // a full payload packet
    0x00, // stuffing: no flags
  ]);
  // 14 + 400 bytes: 176 + 184 + 54, so the last packet's 130-byte field is its length, no flags, 128 × 0xFF
  expect(pkts[2]!.adaptation!.subarray(1)).toEqual(Buffer.alloc(128, 0xff));
});
