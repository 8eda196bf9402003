// The videos page's lengths: m:ss under an hour, h:mm:ss from an hour, rounded to the second, never negative.
import { formatClockDuration } from '../../web/videos/clock';

test('m:ss and h:mm:ss', () => {
  expect([0, 2.6, 7, 59.4, 60, 605, 3599].map(formatClockDuration)).toEqual(['0:00', '0:03', '0:07', '0:59', '1:00', '10:05', '59:59']);
  expect([3600, 3723, 36000 + 61].map(formatClockDuration)).toEqual(['1:00:00', '1:02:03', '10:01:01']);
  expect([-5, Number.NaN, Number.POSITIVE_INFINITY].map(formatClockDuration)).toEqual(['0:00', '0:00', '0:00']);
});
