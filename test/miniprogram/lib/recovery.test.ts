import { PLAY_RETRY, PUSH_RETRY, type BackoffPolicy } from '../../../miniprogram/lib/backoff';
import { PlayRecovery } from '../../../miniprogram/lib/play-recovery';
import { PushRecovery, RESIGN_WINDOW_MS } from '../../../miniprogram/lib/push-recovery';
import { resetLocale } from '../../../miniprogram/lib/i18n';
import { NOW, play } from '../helpers/fixtures';

// the reasons are checked in English; lib/messages.test.ts covers the Chinese texts
beforeAll(() => { resetLocale('en'); });
afterAll(() => { resetLocale(); });

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

  test('3004 re-signs once; a second one inside the window gives up; from the window on it may re-sign again', () => {
    const r = new PushRecovery(policy);
    expect(r.onServerClosed(NOW)).toEqual({ kind: 'resign' });
    expect(r.onServerClosed(NOW + 1000)).toEqual({ kind: 'give-up', reason: expect.stringMatching(/keeps refusing.*room may have ended/) });
    expect(r.onServerClosed(NOW + RESIGN_WINDOW_MS - 1).kind).toBe('give-up');
    // the window runs from the re-sign, not from the refusals after it
    expect(r.onServerClosed(NOW + RESIGN_WINDOW_MS)).toEqual({ kind: 'resign' });
    expect(r.onServerClosed(NOW + RESIGN_WINDOW_MS + 10).kind).toBe('give-up');
  });

  test('the first 3004 re-signs whatever the clock counts from', () => {
    expect(new PushRecovery(policy).onServerClosed(0)).toEqual({ kind: 'resign' });
    expect(new PushRecovery(policy).onServerClosed(NOW)).toEqual({ kind: 'resign' });
  });

  test('the default policy is PUSH_RETRY', () => {
    expect(new PushRecovery(undefined, () => 0).onNetworkExhausted())
      .toEqual({ kind: 'retry', delayMs: PUSH_RETRY.baseMs, attempt: 1, maxTries: PUSH_RETRY.maxTries });
  });

  test('pressing Start again forgets the last re-sign and the retries spent', () => {
    const r = new PushRecovery(policy);
    r.onServerClosed(NOW);
    r.onNetworkExhausted();
    r.onNetworkExhausted();
    expect(r.attempts).toBe(2);
    r.reset();
    expect(r.attempts).toBe(0);
    expect(r.onServerClosed(NOW + 1000)).toEqual({ kind: 'resign' });
    expect(r.onNetworkExhausted()).toMatchObject({ kind: 'retry', delayMs: 100, attempt: 1 });
  });
});

describe('play recovery', () => {
  const p = play('R1').play;

  test('FLV twice, then RTMP, then offline when tries run out', () => {
    const r = new PlayRecovery(policy, () => 0, 2);
    expect(r.kind).toBe('flv');
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
    expect(r.kind).toBe('flv');
    expect(r.source(p).kind).toBe('flv');
  });

  test('the host coming back resets the tries too, and FLV gets its full number of failures again', () => {
    const r = new PlayRecovery(policy, () => 0, 2);
    r.source(p);
    r.onFailure();
    r.source(p);
    r.onFailure();
    r.source(p);
    expect(r.onFailure()).toMatchObject({ attempt: 3 });
    expect(r.kind).toBe('rtmp');
    r.reset();
    expect(r.source(p).kind).toBe('flv');
    expect(r.onFailure()).toEqual({ kind: 'retry', delayMs: 100, attempt: 1, maxTries: 3 });
    expect(r.source(p).kind).toBe('flv');
  });

  test('without an RTMP URL every retry stays on FLV', () => {
    const r = new PlayRecovery(policy, () => 0, 1);
    const flvOnly = { ...p, rtmp: '' };
    for (let i = 0; i < 3; i++) {
      expect(r.source(flvOnly)).toEqual({ kind: 'flv', src: p.flv });
      expect(r.onFailure().kind).toBe('retry');
    }
    expect(r.onFailure()).toEqual({ kind: 'offline' });
  });

  test('the defaults: PLAY_RETRY, and FLV is tried twice before RTMP', () => {
    const r = new PlayRecovery(undefined, () => 0);
    r.source(p);
    expect(r.onFailure()).toEqual({ kind: 'retry', delayMs: PLAY_RETRY.baseMs, attempt: 1, maxTries: PLAY_RETRY.maxTries });
    expect(r.source(p).kind).toBe('flv');
    r.onFailure();
    expect(r.source(p).kind).toBe('rtmp');
  });
});
