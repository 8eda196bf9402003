// The room chat in Chromium against the real server (issue 13): two watch pages talk as guests who picked a nickname,
// likes and reconnects, the admin console deletes, mutes and bans (with the banned list and its undo), the room's
// end; screenshots in zh-CN and en at phone and desktop sizes; no request leaves this server.
import { DESKTOP, launchBrowser, PHONE, type TestBrowser } from '../helpers/browser';
import { killAll, type ChildHandle } from '../helpers/ffmpeg';
import { publishLive } from '../helpers/live';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { foreign as foreignOf, hasText, messages, openWatch as open, say, sayAsNewGuest, type Watcher } from './chat-fixtures';
import { createRoom, endRoom, inPage, screenshot, visibleText, waitInPage } from './fixtures';

const openWatch = (browser: TestBrowser, roomId: string, viewport: { width: number; height: number } = PHONE) => open(browser, s.url, roomId, viewport);
const foreign = (urls: string[]) => foreignOf(urls, s.url);

jest.setTimeout(120000);

let s: TestServer;
let en: TestBrowser;
let zh: TestBrowser;
beforeAll(async () => {
  [s, en, zh] = await Promise.all([startTestServer(), launchBrowser({ locale: 'en-US' }), launchBrowser({ locale: 'zh-CN' })]);
}, 60000);
afterAll(async () => {
  await killAll();
  await en?.close();
  await zh?.close();
  await s?.stop(true);
});

describe('one live room, two viewers and the admin', () => {
  let roomId: string;
  let publisher: ChildHandle;
  let alice: Watcher;
  let bob: Watcher;
  beforeAll(async () => {
    const { room, push } = await createRoom(s, 'Chat night');
    roomId = room.id;
    publisher = await publishLive(s.url, roomId, push.url, { size: '320x180', fps: 15, gop: 30, durationS: undefined }, 15000);
  });
  afterAll(async () => {
    await publisher?.stop();
    await alice?.page.close();
    await bob?.page.close();
  });

  test('two guests pick nicknames and see each other; the token goes in the first frame, never in the URL', async () => {
    alice = await openWatch(en, roomId, PHONE);
    bob = await openWatch(en, roomId, DESKTOP);
    expect(await visibleText(alice.page, '#chat-empty')).toBe('No messages yet. Say hello!');

    await sayAsNewGuest(alice.page, 'Alice', 'hello from Alice');
    await waitInPage(bob.page, hasText('hello from Alice'));
    await sayAsNewGuest(bob.page, 'Bob', 'hi Alice, Bob here');
    await waitInPage(alice.page, hasText('hi Alice, Bob here'));
    expect(await messages(alice.page)).toEqual([['Alice', 'hello from Alice'], ['Bob', 'hi Alice, Bob here']]);
    expect(await messages(bob.page)).toEqual(await messages(alice.page));

    // the session lives in this tab's sessionStorage; the socket URL carries no token, the first frame does
    const stored = JSON.parse(await inPage<string>(alice.page, "sessionStorage.getItem('wxlive.chatSession')")) as { token: string };
    expect(stored.token).toMatch(/\S{16,}/);
    for (const ws of alice.sockets) expect(ws.url()).toBe(`${s.url.replace('http', 'ws')}/api/rooms/${roomId}/socket`);
    const signedIn = alice.sent.findIndex((f) => f.includes(stored.token));
    expect(JSON.parse(alice.sent[signedIn]!)).toEqual({ type: 'auth', token: stored.token });
    expect(JSON.parse(alice.sent[signedIn + 1]!)).toMatchObject({ type: 'say', text: 'hello from Alice', nonce: expect.any(String) });
    expect(alice.requested.some((u) => u.includes(stored.token))).toBe(false);

    // a later page in the same tab signs in at once: no nickname asked again
    await alice.page.reload();
    await alice.page.waitForSelector('#chat[data-chat="open"]');
    await waitInPage(alice.page, hasText('hi Alice, Bob here')); // history on connect
    await say(alice.page, 'back again');
    await waitInPage(bob.page, hasText('back again'));
    expect(await alice.page.isVisible('#nickname-form')).toBe(false);
    expect(await visibleText(bob.page, '#chat-viewers')).toMatch(/^\d+ watching$/);
    expect([alice.errors, bob.errors]).toEqual([[], []]);
  });

  test('likes: taps are batched and both pages show the room\'s total', async () => {
    const before = Number((await visibleText(bob.page, '#likes'))!.split(' ')[0]);
    for (let i = 0; i < 5; i++) await alice.page.click('#like');
    await waitInPage(bob.page, `document.getElementById('likes').textContent === '${before + 5} likes'`);
    await waitInPage(alice.page, `document.getElementById('likes').textContent === '${before + 5} likes'`);
    const likeFrames = alice.sent.filter((f) => f.includes('"like"')).map((f) => JSON.parse(f) as { count: number });
    expect(likeFrames.reduce((n, f) => n + f.count, 0)).toBe(5);
    expect(likeFrames.length).toBeLessThan(5); // summed, not one frame per tap
  });

  test('a dropped socket reconnects by itself and the history it gets again is not shown twice', async () => {
    const page = await en.newPage(PHONE);
    let routed = 0;
    // the first connection is cut by the "network" after a moment; the next goes through untouched
    await page.page.routeWebSocket(/\/socket$/, (ws) => {
      const server = ws.connectToServer();
      if (routed++ === 0) setTimeout(() => { ws.close({ code: 4000, reason: 'network' }); server.close(); }, 1500);
    });
    await page.page.goto(`${s.url}/watch/${roomId}`);
    await page.page.waitForSelector('#chat[data-chat="open"]');
    const shown = (await messages(page.page)).length;
    await page.page.waitForSelector('#chat[data-chat="reconnecting"]', { timeout: 5000 });
    await page.page.waitForSelector('#chat[data-chat="open"]', { timeout: 10000 });
    expect(routed).toBe(2);
    await say(bob.page, 'after the reconnect');
    await waitInPage(page.page, hasText('after the reconnect'));
    const ids = await inPage<string[]>(page.page, "[...document.querySelectorAll('#chat-list li')].map((li) => li.dataset.id)");
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(shown + 1);
    expect(page.errors).toEqual([]);
    await page.page.close();
  });

  test('the admin deletes, mutes and bans from the room\'s chat; the banned list undoes the ban', async () => {
    const { page, errors } = await en.newPage(DESKTOP);
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${s.url}/admin`);
    await page.fill('#token', s.config.secrets.adminToken);
    await page.click('#sign-in');
    const row = `#rooms-body tr[data-id="${roomId}"]`;
    await page.waitForSelector(`${row}[data-status="live"]`);
    expect(await visibleText(page, '#room-chat-pick')).toBe('Choose “Chat” on a room above to moderate its chat.');
    await page.click(`${row} button.chat-button`);
    expect(await page.getAttribute(`${row} button.chat-button`, 'aria-pressed')).toBe('true');
    expect(await visibleText(page, '#room-chat-title')).toBe(`Chat of “Chat night” (${roomId})`);
    await waitInPage(page, hasText('hello from Alice').replace(/#chat-list/g, '#room-chat-list'));
    const line = (text: string) => `#room-chat-list li:has(.chat-text:text-is("${text}"))`;

    // delete: gone from both watch pages
    await page.click(`${line('hello from Alice')} button.delete`);
    await waitInPage(bob.page, `!(${hasText('hello from Alice')})`);
    await waitInPage(alice.page, `!(${hasText('hello from Alice')})`);
    expect(await page.locator(line('hello from Alice')).count()).toBe(0);

    // mute 10 min: Alice is told when she tries, and nothing reaches Bob
    await page.click(`${line('back again')} button.mute`);
    await waitInPage(page, "/^Alice is muted until /.test(document.getElementById('room-chat-status').textContent)");
    await say(alice.page, 'can anyone hear me');
    await alice.page.waitForSelector('#chat-notice[data-code="muted"]:not([hidden])');
    expect(await visibleText(alice.page, '#chat-notice')).toMatch(/^You are muted in this room for (9|10) more min\.$/);
    expect(await alice.page.inputValue('#say')).toBe('can anyone hear me'); // handed back, not lost
    await bob.page.waitForTimeout(500);
    expect(await bob.page.evaluate(hasText('can anyone hear me'))).toBe(false);

    // ban everywhere: Bob's socket is closed and his panel says so; the banned list shows him
    const bobId = await page.getAttribute(line('hi Alice, Bob here'), 'data-user');
    const dialogs: string[] = [];
    page.once('dialog', (d) => { dialogs.push(d.message()); void d.accept(); });
    await page.click(`${line('hi Alice, Bob here')} button.ban`);
    expect(dialogs).toEqual(['Ban Bob everywhere? They can no longer chat, sign in or create rooms.']);
    await bob.page.waitForSelector('#chat[data-chat="banned"]');
    expect(await visibleText(bob.page, '#chat-notice')).toBe('You are banned from this room.');
    expect(await bob.page.isVisible('#say-form')).toBe(false);
    const banned = `#banned-list li[data-user="${bobId}"]`;
    await page.waitForSelector(banned);
    expect(await visibleText(page, `${banned} .banned-user`)).toBe(`Bob · ${bobId}`);
    expect(await visibleText(page, '#banned-empty')).toBeNull();
    for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
      await page.setViewportSize(viewport);
      await page.locator('#room-chat').scrollIntoViewIfNeeded();
      const shot = await screenshot(page, `admin-chat-en-${name}-${viewport.width}x${viewport.height}`);
      expect(shot.foreground).toBeGreaterThan(0.03);
    }

    // undo
    await page.click(`${banned} button.unban`);
    await page.waitForSelector(banned, { state: 'detached' });
    expect(await visibleText(page, '#banned-empty')).toBe('Nobody is banned.');
    const list = await fetch(`${s.url}/api/admin/users/banned`, { headers: { authorization: `Bearer ${s.config.secrets.adminToken}` } });
    expect(((await list.json()) as { users: unknown[] }).users).toEqual([]);
    expect(foreign(requested)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('screenshots of the watch page with its chat: en and zh-CN, phone and desktop', async () => {
    const zhPage = await openWatch(zh, roomId, PHONE);
    await waitInPage(zhPage.page, hasText('hi Alice, Bob here'));
    expect(await visibleText(zhPage.page, '#chat-title')).toBe('聊天');
    expect(await visibleText(zhPage.page, '#likes')).toMatch(/^\d+ 个赞$/);
    expect(await zhPage.page.getAttribute('#say', 'placeholder')).toBe('说点什么…');
    for (const [lang, w] of [['en', alice], ['zh-CN', zhPage]] as const) {
      for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
        await w.page.setViewportSize(viewport);
        await w.page.waitForTimeout(300);
        const box = (await w.page.locator('#chat').boundingBox())!;
        const stage = (await w.page.locator('.stage').boundingBox())!;
        // below the picture on phones, beside it on desktops
        if (name === 'phone') expect(box.y).toBeGreaterThanOrEqual(stage.y + stage.height);
        else expect(box.x).toBeGreaterThanOrEqual(stage.x + stage.width);
        const shot = await screenshot(w.page, `watch-chat-${lang}-${name}-${viewport.width}x${viewport.height}`);
        expect(shot.colours).toBeGreaterThan(50);
      }
    }
    for (const w of [alice, bob, zhPage]) expect(foreign(w.requested)).toEqual([]);
    expect(zhPage.errors).toEqual([]);
    await zhPage.page.close();
  });

  test('the room\'s end reaches the chat: the page shows its ended view and the chat closes', async () => {
    await endRoom(s, roomId);
    await alice.page.waitForSelector('#chat[data-chat="ended"]', { timeout: 10000 });
    await alice.page.waitForSelector('#watch[data-state="ended"], #watch[data-state="replay"]', { timeout: 10000 });
    expect(await visibleText(alice.page, '#chat-status')).toBe('The broadcast has ended; the chat is closed.');
    expect(await alice.page.isVisible('#say-form')).toBe(false);
  });
});
