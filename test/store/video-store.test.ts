// The video library store contract on both implementations: SQLite on a temp file and CloudBase through the real
// @cloudbase/node-sdk against the local wire double.
import { CloudbaseVideoStore } from '../../server/store/cloudbase/cloudbase-video-store';
import { SqliteVideoStore } from '../../server/store/sqlite/sqlite-video-store';
import { keepSdkOnLoopback } from '../helpers/cloudbase-wire-server';
import { cloudbaseHandles, sqliteHandles } from './store-handles';
import { runVideoStoreContract } from './video-store-contract';

keepSdkOnLoopback();

runVideoStoreContract('sqlite', async () => sqliteHandles('wxlive-video-', (file) => new SqliteVideoStore(file)));

runVideoStoreContract('cloudbase (real @cloudbase/node-sdk over the CloudBase wire protocol)',
  () => cloudbaseHandles((o) => new CloudbaseVideoStore(o)));
