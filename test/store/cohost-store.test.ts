// The co-hosting store contract on both implementations: SQLite on a temp file and CloudBase through the real
// @cloudbase/node-sdk against the local wire double.
import { CloudbaseCohostStore } from '../../server/store/cloudbase/cloudbase-cohost-store';
import { SqliteCohostStore } from '../../server/store/sqlite/sqlite-cohost-store';
import { keepSdkOnLoopback } from '../helpers/cloudbase-wire-server';
import { runCohostStoreContract } from './cohost-store-contract';
import { cloudbaseHandles, sqliteHandles } from './store-handles';

keepSdkOnLoopback();

runCohostStoreContract('sqlite', async () => sqliteHandles('wxlive-cohost-', (file) => new SqliteCohostStore(file)));

runCohostStoreContract('cloudbase (real @cloudbase/node-sdk over the CloudBase wire protocol)',
  () => cloudbaseHandles((o) => new CloudbaseCohostStore(o)));
