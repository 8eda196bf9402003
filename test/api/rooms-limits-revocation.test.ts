// Issue 10: push ticket revocation end to end. After POST /api/rooms/:id/push the room's earlier push URL, still
// correctly signed and unexpired, is refused by the RTMP server (push_ticket_revoked, logged and counted); the
// new URL publishes and takes the room live.
import { killAll, publish } from '../helpers/ffmpeg';
import { call, createRoom } from '../helpers/http';
import { capturingLogger, startTestServer, type TestServer } from '../helpers/test-server';
import { until, within } from '../helpers/wait';
import { getRoom, logEntries } from '../media/e2e/e2e-kit';

let s: TestServer;
const captured = capturingLogger();
beforeAll(async () => { s = await startTestServer({}, { log: captured.log }); }, 20_000);
afterAll(async () => {
  await killAll();
  await s?.stop(true);
});

test('the older push URL is refused once a newer one is issued; the newer one publishes', async () => {
  const { token, room, push: first } = await createRoom(s.url, 'revoked ticket', 'revocation-host');
  const second = (await call(s.url, 'POST', `/api/rooms/${room.id}/push`, { token })).body.push;
  expect(second.url).not.toBe(first.url);
  expect(Date.parse(first.expiresAt)).toBeGreaterThan(Date.now() + 3600_000); // not expired: revoked

  const old = publish(first.url, { gop: 25, size: '160x120' });
  const exit = await within(old.exited, 8000);
  expect(exit?.code).not.toBe(0); // turned away
  const refusals = logEntries(captured.lines).filter((e) => e.roomId === room.id && e.msg === 'publish refused');
  expect(refusals.map((e) => e.reason)).toEqual(['push_ticket_revoked']);
  expect((await getRoom(s.url, room.id)).status).toBe('idle');
  const metrics = await call(s.url, 'GET', '/metrics', { token: s.config.secrets.adminToken });
  expect(String(metrics.body)).toMatch(/^wxlive_publish_refusals_total\{reason="push_ticket_revoked"\} 1$/m);

  publish(second.url, { gop: 25, size: '160x120' });
  await until(async () => (await getRoom(s.url, room.id)).status === 'live', 10_000, 'the room to go live on the new ticket');
}, 30_000);
