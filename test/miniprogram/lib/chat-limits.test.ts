// The mini-program's copy of the socket limits and close codes equals the contract's (typings/chat.ts).
import * as contract from '../../../typings/chat';
import * as mine from '../../../miniprogram/lib/chat-limits';

test('every constant of lib/chat-limits has the value typings/chat gives it', () => {
  for (const [name, value] of Object.entries(mine)) expect([name, value]).toEqual([name, (contract as Record<string, unknown>)[name]]);
  expect(Object.keys(mine).length).toBeGreaterThanOrEqual(5);
});
