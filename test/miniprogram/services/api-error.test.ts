import { resetLocale } from '../../../miniprogram/lib/i18n';
import { ApiError, isApiError, toApiError } from '../../../miniprogram/services/api-error';

afterEach(() => { resetLocale(); });

test('the documented error body becomes an ApiError with code, message and replay', () => {
  const e = toApiError(409, { error: { code: 'room_ended', message: 'Room "x" has ended.', replay: 'http://h/replay/x/b/index.m3u8' } });
  expect(e).toBeInstanceOf(ApiError);
  expect(e).toMatchObject({ status: 409, code: 'room_ended', message: 'Room "x" has ended.', replay: 'http://h/replay/x/b/index.m3u8' });
  expect(isApiError(e, 'room_ended')).toBe(true);
  expect(isApiError(e, 'room_not_found')).toBe(false);
  expect(isApiError(new Error('x'))).toBe(false);
});

test('anything else becomes a generic http_<status> error (its message in the phone\'s language, Chinese first)', () => {
  expect(toApiError(502, '<html>').message).toBe('服务器返回 502。');
  expect(toApiError(403, { error: { code: 'forbidden' } }).message).toBe('请求失败（403）。');
  resetLocale('en');
  expect(toApiError(502, '<html>')).toMatchObject({ code: 'http_502', message: 'The server answered 502.', replay: null });
  expect(toApiError(400, { error: 'flat string' })).toMatchObject({ code: 'http_400' });
  expect(toApiError(400, { error: { code: '', message: 'm' } })).toMatchObject({ code: 'http_400' });
  expect(toApiError(403, { error: { code: 'forbidden' } })).toMatchObject({ code: 'forbidden', message: 'Request failed (403).' });
  expect(toApiError(500, null)).toMatchObject({ code: 'http_500' });
});
