// The CSS (Tencent Cloud Live) API calls the hooks and the plane need, through Tencent's own SDK
// (tencentcloud-sdk-nodejs, live v20180801, TC3-HMAC-SHA256 signed): is a stream being pushed right now,
// and cut a publisher off. Only the `live` client is loaded, not the SDK's hundreds of others.
import type { Logger } from 'pino';
import { ServiceUnavailable } from '../../errors';

type LiveClient = InstanceType<typeof import('tencentcloud-sdk-nodejs/tencentcloud/services/live/v20180801/live_client').Client>;

export type StreamState = 'active' | 'inactive' | 'forbid';

export interface TencentLiveApiOptions {
  secretId: string;
  secretKey: string;
  region: string;
  /** API host (live.tencentcloudapi.com); a loopback host is spoken to over plain http (the tests' double) */
  endpoint: string;
  /** the CSS push domain and AppName the streams live under */
  pushDomain: string;
  appName: string;
  timeoutS?: number;
  log: Logger;
}

const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d+)?$/;

export class TencentLiveApi {
  private readonly client: LiveClient;

  constructor(private readonly o: TencentLiveApiOptions) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Client } = require('tencentcloud-sdk-nodejs/tencentcloud/services/live/v20180801/live_client') as
      typeof import('tencentcloud-sdk-nodejs/tencentcloud/services/live/v20180801/live_client');
    this.client = new Client({
      credential: { secretId: o.secretId, secretKey: o.secretKey },
      region: o.region,
      profile: {
        httpProfile: {
          endpoint: o.endpoint,
          protocol: LOOPBACK.test(o.endpoint) ? 'http://' : 'https://',
          reqTimeout: o.timeoutS ?? 5,
        },
      },
    });
  }

  private stream(name: string) {
    return { DomainName: this.o.pushDomain, AppName: this.o.appName, StreamName: name };
  }

  /** What CSS says about a stream now (DescribeLiveStreamState). An unreachable or refusing API is a 503. */
  async streamState(name: string): Promise<StreamState> {
    try {
      const res = await this.client.DescribeLiveStreamState(this.stream(name));
      const state = res.StreamState;
      if (state === 'active' || state === 'inactive' || state === 'forbid') return state;
      throw new Error(`unexpected StreamState ${String(state).slice(0, 40)}`);
    } catch (err) {
      throw this.unavailable('DescribeLiveStreamState', name, err);
    }
  }

  /** Cuts the stream's publisher off at CSS (DropLiveStream). Best effort: a failure is logged, not thrown. */
  async dropStream(name: string): Promise<boolean> {
    try {
      await this.client.DropLiveStream(this.stream(name));
      return true;
    } catch (err) {
      this.o.log.warn({ tencentApi: 'DropLiveStream', stream: name, ...details(err) }, 'CSS DropLiveStream failed');
      return false;
    }
  }

  private unavailable(action: string, name: string, err: unknown): ServiceUnavailable {
    this.o.log.error({ tencentApi: action, stream: name, ...details(err) }, 'CSS API call failed');
    return new ServiceUnavailable('The Tencent Cloud Live API is unavailable right now; try again.', 'tencent_api_unavailable');
  }
}

/** The SDK error's code, request id and message (TencentCloudSDKHttpException), never the credentials. */
function details(err: unknown): Record<string, unknown> {
  const e = (err ?? {}) as { code?: unknown; requestId?: unknown; message?: unknown; httpCode?: unknown };
  return {
    tencentCode: typeof e.code === 'string' ? e.code : null,
    tencentRequestId: typeof e.requestId === 'string' && e.requestId ? e.requestId : null,
    httpCode: typeof e.httpCode === 'number' ? e.httpCode : null,
    tencentMessage: typeof e.message === 'string' ? e.message.slice(0, 300) : String(err),
  };
}
