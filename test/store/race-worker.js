// One racer of the SQLite race test (sqlite.test.ts): a thread of its own with its own SqliteRoomStore connection
// on the shared file. Plain JS so a worker can start it; the TypeScript store is loaded through a minimal
// require hook (TypeScript's transpiler, as ts-jest uses it).
const { readFileSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};
const { SqliteRoomStore } = require('../../server/store/sqlite/sqlite-room-store.ts');

const { file, ids, name, gate } = workerData;
const arrived = new Int32Array(gate);

/** Wait until both racers reached round `round`: spin (both leave within microseconds), sleeping now and then. */
function barrier(round) {
  const target = 2 * (round + 1);
  Atomics.add(arrived, 0, 1);
  Atomics.notify(arrived, 0);
  for (let seen = Atomics.load(arrived, 0); seen < target; seen = Atomics.load(arrived, 0)) {
    for (let spin = 0; spin < 20000 && Atomics.load(arrived, 0) < target; spin++);
    seen = Atomics.load(arrived, 0);
    if (seen < target) Atomics.wait(arrived, 0, seen, 2);
  }
}

(async () => {
  const store = new SqliteRoomStore(file);
  const won = [];
  for (let i = 0; i < ids.length; i++) {
    barrier(i);
    // the first publish of the room, as a node's publisherStarted writes it: idle → live with its own broadcast id
    const room = await store.update(ids[i], ['idle'], { status: 'live', startedAt: i, broadcastId: `${name}${String(i).padStart(9, '0')}` });
    won.push(room ? room.broadcastId : null);
  }
  await store.close();
  parentPort.postMessage(won);
})().catch((err) => { throw err; });
