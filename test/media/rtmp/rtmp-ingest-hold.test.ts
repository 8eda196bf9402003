// RtmpIngest.hold: the recording's back-pressure stops reading the room's publisher (TCP makes the encoder
// wait) and lets go again; a room without a publisher is left alone.
import type { RtmpIngest } from '../../../server/media/rtmp/rtmp-ingest';
import { killAll, publish } from '../../helpers/ffmpeg';
import { roomId, sleep, startIngest, TagRecorder, testHooks, until } from './rtmp-fixture';

let ingest: RtmpIngest;
let url: (room: string, query?: string) => string;

beforeAll(async () => {
  ({ ingest, url } = await startIngest(testHooks().hooks));
});
afterAll(async () => {
  await killAll();
  await ingest.stop();
});

test('held, the publisher\'s tags stop reaching taps; released, they flow again', async () => {
  const room = roomId();
  ingest.hold(room, true); // nobody publishes yet: nothing to hold, nothing breaks
  const tap = new TagRecorder();
  const detach = ingest.subscribe(room, tap);
  publish(url(room));
  await until(() => tap.tags.length > 30, 15000, 'media tags on the tap');

  ingest.hold(room, true);
  await sleep(300); // what was already read is delivered
  const held = tap.tags.length;
  await sleep(1500); // about 45 video frames at -re
  expect(tap.tags.length - held).toBeLessThanOrEqual(2);

  ingest.hold(room, false);
  await until(() => tap.tags.length > held + 30, 10000, 'tags after the hold is released');
  detach();
});
