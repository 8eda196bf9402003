// The README's curl walk-through, run verbatim with bash against `npm start`'s build (only the port
// differs: the test's server cannot take 8080).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootServer, killAll, type ServerProcess } from './spawn-server';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

function walkthrough(): string {
  const section = README.split(/^## Try it with curl$/m)[1] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README has no sh block under "## Try it with curl"');
  return block;
}

let cwd: string;
let server: ServerProcess;
let port: number;
beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'wxlive-readme-'));
  // DATA_DIR left at its default (./data): the server and the walk-through run in the same folder
  ({ proc: server, port } = await bootServer({}, { cwd }));
});
afterAll(async () => {
  await server?.stop();
  killAll();
  rmSync(cwd, { recursive: true, force: true });
});

test('the walk-through signs in, creates a room, gets play URLs and lists rooms as admin', async () => {
  const script = walkthrough();
  expect(script).toContain('http://localhost:8080');
  const run = script.replace(/http:\/\/localhost:8080/g, `http://localhost:${port}`);
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number }>((resolve) => {
    execFile('bash', ['-e', '-c', run], { cwd, timeout: 20_000 }, (err, out, errOut) => {
      resolve({ stdout: out, stderr: errOut, code: err ? (typeof err.code === 'number' ? err.code : 1) : 0 });
    });
  });
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
  expect(lines).toHaveLength(4);
  const [login, created, play, admin] = lines as [any, any, any, any];
  expect(login.token).toEqual(expect.any(String));
  expect(created.room).toMatchObject({ title: 'My first live', status: 'idle', hostId: login.user.id });
  expect(created.push.url).toBe(`${created.push.server}/${created.push.streamKey}`);
  expect(play.play.flv).toMatch(new RegExp(`^http://localhost:${port}/live/${created.room.id}\\.flv\\?expires=`));
  expect(admin.rooms.map((r: { id: string }) => r.id)).toEqual([created.room.id]);
});
