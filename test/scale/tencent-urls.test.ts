// Tencent CSS URL signing pinned by hand-computed fixed vectors (txTime, txSecret, push and play URLs), and plain play
// URLs without a play key. The same keys as tencent-plane.test.ts, where a real server signs with them.
import { TencentMediaUrls } from '../../server/media/tencent/tencent-urls';
import { txSecret, txTime } from '../../server/media/tencent/tencent-signing';

const PUSH_KEY = 'push-key-0f3a9c';
const PLAY_KEY = 'play-key-77b2e1';
// 0x6553F100 = 1 700 000 000 (printf '%X' 1700000000).
const STREAM = 'AbCdEfGh1234';
const PUSH_SECRET = 'ed6c1e8ecd92ee5c265f0cf5cf50e257'; // md5 of "push-key-0f3a9cAbCdEfGh12346553F100"
const PLAY_SECRET = '9ffdd1c0a847dd98ee0066c6e41bf992'; // md5 of "play-key-77b2e1AbCdEfGh12346553F100"
const FIXED_URLS = new TencentMediaUrls({ pushDomain: 'push.live.example.com', playDomain: 'play.live.example.com', pushKey: PUSH_KEY, playKey: PLAY_KEY, appName: 'live' });

test('push signing: txTime is the uppercase hex expiry, txSecret = md5(push key + stream + txTime) (fixed vector)', () => {
  expect(txTime(1700000000)).toBe('6553F100');
  expect(txTime(1700000000.9)).toBe('6553F100'); // whole seconds
  expect(txSecret(PUSH_KEY, STREAM, '6553F100')).toBe(PUSH_SECRET);
  expect(FIXED_URLS.push(STREAM, 1700000000, { http: 'http://x', rtmp: 'rtmp://x' })).toEqual({
    url: `rtmp://push.live.example.com/live/${STREAM}?txSecret=${PUSH_SECRET}&txTime=6553F100`,
    server: 'rtmp://push.live.example.com/live',
    streamKey: `${STREAM}?txSecret=${PUSH_SECRET}&txTime=6553F100`,
    expiresAt: '2023-11-14T22:13:20.000Z',
  });
});

test('play signing: the same scheme with the play key (fixed vector)', () => {
  const q = `txSecret=${PLAY_SECRET}&txTime=6553F100`;
  expect(FIXED_URLS.play(STREAM, 1700000000, { http: 'http://x', rtmp: 'rtmp://x' })).toEqual({
    flv: `https://play.live.example.com/live/${STREAM}.flv?${q}`,
    hls: `https://play.live.example.com/live/${STREAM}.m3u8?${q}`,
    rtmp: `rtmp://play.live.example.com/live/${STREAM}?${q}`,
    expiresAt: '2023-11-14T22:13:20.000Z',
  });
});

test('without a play key the play URLs are plain', () => {
  const urls = new TencentMediaUrls({ pushDomain: 'p.example.com', playDomain: 'v.example.com', pushKey: 'k', appName: 'live' });
  const play = urls.play('AbCdEfGh1234', 1700000000, { http: 'http://x', rtmp: 'rtmp://x' });
  expect(play.flv).toBe('https://v.example.com/live/AbCdEfGh1234.flv');
  expect(play.rtmp).toBe('rtmp://v.example.com/live/AbCdEfGh1234');
  expect(urls.replay('AbCdEfGh1234', 'b', { http: 'http://x', rtmp: 'rtmp://x' })).toBeNull();
});
