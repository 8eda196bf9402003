// Entry point: read config, start everything, print where to connect, stop cleanly on signals.
import { ConfigError, loadConfig } from './config';
import { BadHost, PortInUse } from './listen';
import { createLogger } from './log';
import { startServer } from './server';

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
    '',
  ].join('\n'));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const force = setTimeout(() => process.exit(0), 5000);
    force.unref();
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`wxlive: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
