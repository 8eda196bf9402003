// MediaLimits: HLS requests in flight per address, per room and in total (README Limits), and a refusal gives
// back every place it took (a refused request must not leak its address's or room's count).
import pino from 'pino';
import { RateLimited } from '../../../server/errors';
import { MediaLimits } from '../../../server/media/embedded/media-limits';
import { createMetrics } from '../../../server/metrics';

const limits = (o: Partial<{ hlsPerIp: number; hlsPerRoom: number; hlsTotal: number }>) => {
  const metrics = createMetrics();
  const l = new MediaLimits({
    flvPerIp: 10, flvPerRoom: 10, flvTotal: 10, hlsPerIp: 10, hlsPerRoom: 10, hlsTotal: 10, fileStreams: 10,
    ...o, log: pino({ level: 'silent' }), metrics,
  });
  const refused = async (reason: string) => (await metrics.limitRefusals.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
  return { l, refused };
};

const codeOf = (f: () => unknown): string => {
  try { f(); } catch (err) { return err instanceof RateLimited ? `${err.code} ${err.retryAfterS}` : String(err); }
  return 'taken';
};

test('HLS_MAX_PER_ROOM: one room\'s requests in flight, from any address; other rooms go on', async () => {
  const { l, refused } = limits({ hlsPerRoom: 2 });
  const a = l.hlsRequest('roomA', '198.51.100.1');
  l.hlsRequest('roomA', '198.51.100.2');
  expect(codeOf(() => l.hlsRequest('roomA', '198.51.100.3'))).toBe('hls_per_room 1');
  expect(codeOf(() => l.hlsRequest('roomB', '198.51.100.3'))).toBe('taken');
  a();
  expect(codeOf(() => l.hlsRequest('roomA', '198.51.100.3'))).toBe('taken');
  expect(await refused('hls_per_room')).toBe(1);
});

test('HLS_MAX_REQUESTS: in total; a refusal gives back the address and room places it took', async () => {
  const { l, refused } = limits({ hlsTotal: 2, hlsPerIp: 1 });
  l.hlsRequest('roomA', '198.51.100.1');
  l.hlsRequest('roomB', '198.51.100.2');
  expect(codeOf(() => l.hlsRequest('roomC', '198.51.100.3'))).toBe('hls_requests 1');
  // had the refused request kept 198.51.100.3's only place, this would be hls_per_ip
  expect(codeOf(() => l.hlsRequest('roomC', '198.51.100.3'))).toBe('hls_requests 1');
  expect(await refused('hls_requests')).toBe(2);
  expect(await refused('hls_per_ip')).toBe(0);
});

test('FLV caps in order: address, room, total; each refusal names its cap and keeps nothing', () => {
  const { l } = limits({});
  const small = new MediaLimits({
    flvPerIp: 1, flvPerRoom: 2, flvTotal: 3, hlsPerIp: 1, hlsPerRoom: 1, hlsTotal: 1, fileStreams: 1,
    log: pino({ level: 'silent' }), metrics: createMetrics(),
  });
  small.flvViewer('r1', 'a1');
  expect(codeOf(() => small.flvViewer('r1', 'a1'))).toBe('flv_per_ip 5');
  small.flvViewer('r1', 'a2');
  expect(codeOf(() => small.flvViewer('r1', 'a3'))).toBe('flv_per_room 5');
  small.flvViewer('r2', 'a3');
  expect(codeOf(() => small.flvViewer('r3', 'a4'))).toBe('flv_viewers 5');
  expect(codeOf(() => l.flvViewer('r1', 'a1'))).toBe('taken');
});
