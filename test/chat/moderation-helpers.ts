// Helpers of the moderation tests: a fetch JSON client for the chat's REST routes (every answer checked against
// the OpenAPI document), dev sign-in with the user id, and sockets that join a room and wait for their hello.
import type { HelloFrame } from '../../typings/chat';
import { openApiProblems } from '../helpers/openapi-check';
import { TestSocket, type ChatTestServer } from './chat-server';

export interface Reply<T = any> { status: number; headers: Headers; body: T }

export async function api<T = any>(base: string, method: string, path: string,
  o: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
  const text = await res.text();
  const body = (text ? JSON.parse(text) : null) as T;
  const problems = openApiProblems(method, path, res.status, /json/.test(res.headers.get('content-type') ?? ''), body);
  if (problems.length) throw new Error(`${method} ${path}: the answer does not match the OpenAPI document:\n  ${problems.join('\n  ')}\n${text.slice(0, 300)}`);
  return { status: res.status, headers: res.headers, body };
}

export interface SignedIn { token: string; id: string }

/** Dev sign-in: the same code is the same user. */
export async function signIn(base: string, code: string): Promise<SignedIn> {
  const r = await api(base, 'POST', '/api/auth/login', { body: { code } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { token: r.body.token, id: r.body.user.id };
}

export async function newRoom(base: string, host: SignedIn, title = 'Moderated'): Promise<string> {
  const r = await api(base, 'POST', '/api/rooms', { token: host.token, body: { title } });
  if (r.status !== 201) throw new Error(`create failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.room.id;
}

/** Opens sockets and closes them after each test. */
export class Sockets {
  private readonly open: TestSocket[] = [];

  constructor(private readonly srv: () => ChatTestServer) {}

  async join(roomId: string, token?: string): Promise<TestSocket & { hello: HelloFrame }> {
    const s = new TestSocket(this.srv().wsUrl, roomId);
    this.open.push(s);
    await s.opened;
    if (token) s.send({ type: 'auth', token });
    const hello = await s.next('hello');
    return Object.assign(s, { hello });
  }

  closeAll(): void {
    for (const s of this.open.splice(0)) s.close();
  }
}
