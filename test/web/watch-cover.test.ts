// An uploaded cover on the watch page, in a Chinese and an English browser: the host's image comes from this
// server (POST /api/rooms/:id/cover), stands in for the picture, and is screenshotted in both languages.
import { phoneJpeg, plainJpeg } from '../api/cover-images';
import { DESKTOP, launchBrowser, PHONE, type TestBrowser } from '../helpers/browser';
import { login } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { createRoom, inPage, screenshot, visibleText, waitInPage } from './fixtures';

let s: TestServer;
let browsers: Record<'zh-CN' | 'en', TestBrowser>;
beforeAll(async () => {
  const [server, zh, en] = await Promise.all([startTestServer(), launchBrowser({ locale: 'zh-CN' }), launchBrowser({ locale: 'en-US' })]);
  s = server;
  browsers = { 'zh-CN': zh, en };
}, 60000);
afterAll(async () => {
  await Promise.all(Object.values(browsers ?? {}).map((b) => b.close()));
  await s?.stop(true);
});

/** A room whose host uploaded a 640×360 JPEG (ffmpeg's testsrc) through the API. */
async function roomWithUploadedCover(title: string): Promise<{ id: string; cover: string }> {
  const { room } = await createRoom(s, title);
  const token = await login(s.url, 'web-host');
  const jpeg = plainJpeg('640x360');
  const res = await fetch(`${s.url}/api/rooms/${room.id}/cover`, {
    method: 'POST', headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${token}` }, body: new Uint8Array(jpeg),
  });
  const body = await res.json() as { room: { cover: string } };
  expect(res.status).toBe(200);
  return { id: room.id, cover: body.room.cover };
}

const EXPECTED = {
  'zh-CN': { message: '等待主播开播', meta: '尚未开播' },
  en: { message: 'Waiting for host', meta: 'Not started yet' },
} as const;

test.each(['zh-CN', 'en'] as const)('%s: the uploaded cover stands in for the picture while the room waits', async (lang) => {
  const { id, cover } = await roomWithUploadedCover(lang === 'zh-CN' ? '新品发布会' : 'Product launch');
  expect(cover.startsWith(`${s.url}/api/rooms/${id}/cover?v=`)).toBe(true);
  for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    const { page, errors } = await browsers[lang].newPage(viewport);
    const images: { url: string; status: number; type: string | undefined }[] = [];
    page.on('response', (r) => { if (r.request().resourceType() === 'image') images.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] }); });
    await page.goto(`${s.url}/watch/${id}`);
    await page.waitForSelector('#watch[data-state="idle"]');
    await waitInPage(page, "document.getElementById('cover').naturalWidth === 640");
    expect(await page.isVisible('#cover')).toBe(true);
    expect(await page.getAttribute('#cover', 'src')).toBe(cover);
    expect(await page.getAttribute('#video', 'poster')).toBe(cover);
    expect(images).toContainEqual({ url: cover, status: 200, type: 'image/jpeg' });
    expect([await visibleText(page, '#message'), await visibleText(page, '#meta')]).toEqual([EXPECTED[lang].message, EXPECTED[lang].meta]);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    const shot = await screenshot(page, `watch-cover-${lang}-${name}-${viewport.width}x${viewport.height}`);
    // testsrc's colour bars and gradient, not the page's flat background
    expect(shot.colours).toBeGreaterThan(200);
    expect(shot.foreground).toBeGreaterThan(0.2);
    // the cover fills the stage: it is as wide as the 16:9 stage
    const [stage, img] = [await page.locator('.stage').boundingBox(), await page.locator('#cover').boundingBox()];
    expect(Math.round(img!.width)).toBe(Math.round(stage!.width));
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
    expect(errors).toEqual([]);
    await page.close();
  }
});

test('a phone photo turned by its EXIF orientation is shown upright (the orientation survives the stripping)', async () => {
  const { room } = await createRoom(s, 'Portrait');
  const token = await login(s.url, 'web-host');
  // phoneJpeg: 160×90 with orientation 6 (rotate 90° clockwise to show): a browser lays it out 90×160
  const res = await fetch(`${s.url}/api/rooms/${room.id}/cover`, {
    method: 'POST', headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${token}` }, body: new Uint8Array(phoneJpeg()),
  });
  expect(res.status).toBe(200);
  const { page } = await browsers.en.newPage();
  await page.goto(`${s.url}/watch/${room.id}`);
  await waitInPage(page, "document.getElementById('cover').naturalWidth > 0");
  expect(await inPage(page, "[document.getElementById('cover').naturalWidth, document.getElementById('cover').naturalHeight]")).toEqual([90, 160]);
  await page.close();
});
