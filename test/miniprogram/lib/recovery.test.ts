import type { BackoffPolicy } from '../../../miniprogram/lib/backoff';
import { PlayRecovery } from '../../../miniprogram/lib/play-recovery';
import { PushRecovery, RESIGN_WINDOW_MS } from '../../../miniprogram/lib/push-recovery';
import { play } from '../helpers/fixtures';

const policy: BackoffPolicy = { baseMs: 100, factor: 2, maxMs: 1000, maxTries: 3, jitter: 0 };

describe('push recovery', () => {
  test('-1307 retries with growing delays, then gives up with a reason', () => {
    const r = new PushRecovery(policy);
    expect(r.onNetworkExhausted()).toEqual({ kind: 'retry', delayMs: 100, attempt: 1, maxTries: 3 });
    expect(r.onNetworkExhausted()).toEqual({ kind: 'retry', delayMs: 200, attempt: 2, maxTries: 3 });
    expect(r.onNetworkExhausted()).toEqual({ kind: 'retry', delayMs: 400, attempt: 3, maxTries: 3 });
    const last = r.onNetworkExhausted();
    expect(last.kind).toBe('give-up');
    expect(last.kind === 'give-up' && last.reason).toMatch(/after 3 tries/);
  });

  test('going live again resets the retry budget', () => {
    const r = new PushRecovery(policy);
    r.onNetworkExhausted();
    r.onNetworkExhausted();
    r.onLive();
    expect(r.onNetworkExhausted()).toMatchObject({ kind: 'retry', delayMs: 100, attempt: 1 });
  });

  test('3004 re-signs once; a second one soon after gives up; later it may re-sign again', () => {
    const r = new PushRecovery(policy);
    expect(r.onServerClosed(1000)).toEqual({ kind: 'resign' });
    expect(r.onServerClosed(2000).kind).toBe('give-up');
    expect(r.onServerClosed(1000 + RESIGN_WINDOW_MS + 1)).toEqual({ kind: 'resign' });
    r.reset();
    expect(r.onServerClosed(1000 + RESIGN_WINDOW_MS + 2)).toEqual({ kind: 'resign' });
  });
});

describe('play recovery', () => {
  const p = play('R1').play;

  test('FLV twice, then RTMP, then offline when tries run out', () => {
    const r = new PlayRecovery(policy, () => 0, 2);
    expect(r.source(p)).toEqual({ kind: 'flv', src: p.flv });
    expect(r.onFailure()).toEqual({ kind: 'retry', delayMs: 100, attempt: 1, maxTries: 3 });
    expect(r.source(p).kind).toBe('flv');
    expect(r.onFailure()).toMatchObject({ kind: 'retry', delayMs: 200 });
    expect(r.source(p)).toEqual({ kind: 'rtmp', src: p.rtmp });
    expect(r.onFailure()).toMatchObject({ kind: 'retry', delayMs: 400 });
    expect(r.onFailure()).toEqual({ kind: 'offline' });
  });

  test('playing resets the budget but keeps the source that works; reset goes back to FLV', () => {
    const r = new PlayRecovery(policy, () => 0, 1);
    r.source(p);
    r.onFailure();
    expect(r.source(p).kind).toBe('rtmp');
    r.onPlaying();
    expect(r.onFailure()).toMatchObject({ kind: 'retry', attempt: 1 });
    expect(r.source(p).kind).toBe('rtmp');
    r.reset();
    expect(r.source(p).kind).toBe('flv');
  });
});
