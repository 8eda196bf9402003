/** @jest-environment jsdom */
// the host page's restart race with a render layer that lags, as on a phone. In
// miniprogram-simulate setData lands at once, so a start() right after setData({pushUrl}) would read the new
// URL anyway; here every setData lands a tick later, so only a start() from the setData callback (after
// stop() finished) publishes on the fresh ticket's URL. Mirrors the audience page's late-setData test.
import { CONFIG } from '../../../miniprogram/config';
import { FakeWx } from '../helpers/fake-wx';
import * as fx from '../helpers/fixtures';
import { fire, renderPage, simWx, stubBuiltin, until, untilFake, useFakeWx, useLanguage, type SimComponent } from '../helpers/simulate';

stubBuiltin('live-pusher', { url: String, devicePosition: String, orientation: String, aspect: String, waitingImage: String });

const ROOM = 'HHHHHHHHHHH4';
let fake: FakeWx;
let calls: string[];
let tickets: number;
let page: SimComponent;

afterEach(() => {
  jest.useRealTimers();
  page?.instance.onUnload();
});

beforeEach(() => {
  useLanguage('en');
  fake = new FakeWx();
  useFakeWx(fake);
  calls = [];
  tickets = 0;
  let stopping = 0;
  const record = (method: string) => (arg?: { success?: () => void }) => {
    if (method === 'start') calls.push(`start ${page.querySelector('#pusher')!.data.url}${stopping > 0 ? ' (before stop() finished)' : ''}`);
    else calls.push(method);
    if (method === 'stop') stopping += 1;
    setTimeout(() => {
      if (method === 'stop') stopping -= 1;
      arg?.success?.();
    }, 0);
  };
  simWx().createLivePusherContext = () => Object.fromEntries(
    ['start', 'stop', 'startPreview', 'stopPreview', 'switchCamera', 'toggleTorch', 'resume'].map((m) => [m, record(m)]));
  simWx().authorize = (o: { success: () => void }) => { setTimeout(() => o.success(), 0); };
  simWx().setKeepScreenOn = () => undefined;
  simWx().showToast = () => undefined;
  for (const name of ['AudioInterruptionBegin', 'AudioInterruptionEnd', 'NetworkStatusChange']) {
    simWx()[`on${name}`] = () => undefined;
    simWx()[`off${name}`] = () => undefined;
  }
  fake.on('POST /api/auth/login', { status: 200, body: fx.login() });
  fake.on('POST /api/rooms', { status: 201, body: fx.created(ROOM, 'Late') });
  fake.on(`POST /api/rooms/${ROOM}/push`, () => { tickets += 1; return { status: 200, body: { push: fx.push(ROOM, tickets + 1) } }; });
});

const pusher = () => page.querySelector('#pusher')!;
const state = (code: number) => fire(pusher(), 'statechange', { code });
const url = (n: number) => fx.push(ROOM, n).url;

async function publishingWithLateSetData(): Promise<void> {
  page = renderPage('host');
  await fire(page.querySelector('.title-input')!, 'input', { value: 'Late' });
  await fire(page.querySelector('.create')!, 'tap');
  await until(() => page.data.stage === 'ready', 'room created');
  await fire(page.querySelector('.start')!, 'tap');
  await until(() => calls.some((c) => c.startsWith('start ')), 'start()');
  await state(1002);
  jest.useFakeTimers();
  calls = [];
  const inst = page.instance;
  const setData = inst.setData.bind(inst) as (p: object, c?: () => void) => void;
  inst.setData = (patch: object, cb?: () => void) => { setTimeout(() => setData(patch, cb), 0); };
}

test.each([
  ['3004 (re-sign at once)', async () => { await state(3004); }],
  ['-1307 (after the backoff)', async () => { await state(-1307); await jest.advanceTimersByTimeAsync(CONFIG.pushRetry.maxMs + 1); }],
  ['onShow after 5000', async () => { page.instance.onHide(); await state(5000); await jest.advanceTimersByTimeAsync(1); calls = []; page.instance.onShow(); }],
])('%s: start() runs on the fresh URL even when setData lands late, and only after stop() finished', async (_name, trigger) => {
  await publishingWithLateSetData();
  await trigger();
  await untilFake(() => calls.some((c) => c.startsWith('start ')), 'restart');
  expect(tickets).toBe(1);
  expect(calls).toEqual(['stop', `start ${url(2)}`]);
});
