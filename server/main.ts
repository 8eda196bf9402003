// Entry point: read config, start everything, print where to connect, stop cleanly on signals.
import { ConfigError, loadConfig } from './config';
import { BadHost, PortInUse } from './listen';
import { createLogger } from './log';
import { openFilesLimit, openFilesWarning } from './open-files';
import { startServer } from './server';

/** AUTH_MODE=dev trusts any login code: harmless on loopback, an open door anywhere else. */
const DEV_AUTH_WARNING = 'AUTH_MODE=dev on a non-loopback address: anyone who reaches this server can sign in as any user. '
  + 'Set AUTH_MODE=wechat (or HOST=127.0.0.1) before exposing it.';

/** what a supervisor's SIGTERM may take (issue 11): then the process is cut short */
const STOP_WITHIN_MS = 5000;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`wxlive: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  const devAuthInOpen = config.AUTH_MODE === 'dev' && !isLoopback(config.HOST);
  if (devAuthInOpen) {
    log.warn({ host: config.HOST, authMode: 'dev' }, DEV_AUTH_WARNING);
  }
  const filesWarning = openFilesWarning(openFilesLimit(), config);
  if (filesWarning) log.warn({ limit: openFilesLimit() }, filesWarning);
  let server;
  try {
    server = await startServer(config, log);
  } catch (err) {
    if (err instanceof PortInUse || err instanceof BadHost) {
      process.stderr.write(`wxlive: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const shown = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const http = config.PUBLIC_HTTP_URL ?? `http://${shown}:${server.httpPort}`;
  const rtmp = config.MEDIA_PROVIDER === 'tencent'
    ? `rtmp://${config.TENCENT_PUSH_DOMAIN}/${config.TENCENT_APP_NAME}`
    : config.PUBLIC_RTMP_URL ?? `rtmp://${shown}:${server.rtmpPort ?? config.RTMP_PORT}/live`;
  log.info({ httpPort: server.httpPort, rtmpPort: server.rtmpPort, dataDir: config.DATA_DIR }, 'wxlive started');
  process.stderr.write([
    `wxlive is up`,
    `  API base       ${http}/api`,
    `  OBS server     ${rtmp}`,
    `  admin console  ${http}/admin`,
    `  admin token    ${config.secrets.adminTokenFile ? `kept in ${config.secrets.adminTokenFile}` : 'from ADMIN_TOKEN'}`,
    ...(devAuthInOpen ? [`  WARNING        ${DEV_AUTH_WARNING}`] : []),
    ...(filesWarning ? [`  WARNING        ${filesWarning}`] : []),
    '',
  ].join('\n'));

  // SIGTERM/SIGINT: server.close() finishes the open segments (their playlists list them), disconnects RTMP, FLV and
  // keep-alive HTTP clients, then closes the store. A live room's playlists get no ENDLIST: a restart within the grace
  // continues its broadcast; crash recovery or the room's end closes them. A close that hangs is cut at 5 s, exit 1.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      log.error({ signal }, 'not stopped within 5 s: exiting anyway');
      process.exit(1);
    }, STOP_WITHIN_MS);
    force.unref();
    server.close().then(() => process.exit(0), (err) => {
      log.error({ err }, 'stopping failed');
      process.exit(1);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`wxlive: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
