// The /metrics registry: bytes sent are summed on the hot path and read into wxlive_bytes_out_total on each scrape.
import { createMetrics } from '../../server/metrics';

const line = (text: string, series: string): number | null => {
  const hit = text.split('\n').find((l) => l.startsWith(`${series} `));
  return hit ? Number(hit.slice(series.length + 1)) : null;
};

test('addBytesOut sums per protocol and every scrape shows the total so far, counted once', async () => {
  const m = createMetrics();
  m.addBytesOut('hls', 1000);
  m.addBytesOut('hls', 500);
  m.addBytesOut('flv', 7);
  let text = await m.registry.metrics();
  expect(line(text, 'wxlive_bytes_out_total{protocol="hls"}')).toBe(1500);
  expect(line(text, 'wxlive_bytes_out_total{protocol="flv"}')).toBe(7);
  text = await m.registry.metrics(); // a second scrape adds nothing new twice
  expect(line(text, 'wxlive_bytes_out_total{protocol="hls"}')).toBe(1500);
  m.addBytesOut('hls', 25);
  text = await m.registry.metrics();
  expect(line(text, 'wxlive_bytes_out_total{protocol="hls"}')).toBe(1525);
  expect(line(text, 'wxlive_bytes_out_total{protocol="flv"}')).toBe(7);
});
