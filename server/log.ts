// The process logger: pino JSON lines on stdout, secrets redacted wherever they could appear.
import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { svc: 'wxlive' },
    redact: { paths: ['*.sign', '*.secret', '*.token', '*.session_key', 'req.headers.authorization'], censor: '[redacted]' },
  });
}
