// CHAT_FILTER=wechat: WeChat's content security check, msgSecCheck v2 (research.md). Fails closed: a text is
// allowed only on an explicit `suggest: "pass"`; WeChat unreachable, slow, or answering an error refuses it.
// `review` (WeChat is unsure and would have a person look) is refused too: a live chat has no review queue,
// and a message shown now cannot be taken back from the viewers who saw it.
import { AccessTokens, postJson, WechatApiError, wechatUrl, type WechatAppOptions } from './access-token';
import { ALLOWED, type ContentFilter, type FilterInput, type FilterVerdict } from './content-filter';

export interface WechatFilterOptions extends WechatAppOptions {
  /** a check failed (WeChat unreachable, an errcode): the text was refused */
  onError?: (err: unknown) => void;
  now?: () => number;
}

interface SecCheckReply {
  errcode?: number;
  errmsg?: string;
  result?: { suggest?: string; label?: number };
}

/** msgSecCheck's `scene`: 1 profile (nicknames), 2 comment (the closest to chat; there is no chat scene) */
const SCENES = { nickname: 1, message: 2 } as const;
/** msgSecCheck refuses longer content */
const MAX_CONTENT_CHARS = 2500;
/** invalid / expired access token: fetch a new one and ask once more */
const TOKEN_ERRORS = new Set([40001, 42001]);

export class WechatFilter implements ContentFilter {
  private readonly tokens: AccessTokens;
  private readonly timeoutMs: number;

  constructor(private readonly opts: WechatFilterOptions) {
    this.tokens = new AccessTokens(opts, opts.now);
    this.timeoutMs = opts.timeoutMs ?? 3000;
  }

  async check(input: FilterInput): Promise<FilterVerdict> {
    if (!input.openid) return { allowed: false, reason: 'no_openid' };
    if ([...input.text].length > MAX_CONTENT_CHARS) return { allowed: false, reason: 'unavailable', detail: 'too long to check' };
    try {
      let token = await this.tokens.get();
      let reply = await this.ask(token, input);
      if (reply.errcode !== undefined && TOKEN_ERRORS.has(reply.errcode)) {
        token = await this.tokens.refresh(token);
        reply = await this.ask(token, input);
      }
      return this.verdict(reply);
    } catch (err) {
      this.opts.onError?.(err);
      return { allowed: false, reason: 'unavailable' };
    }
  }

  async close(): Promise<void> {}

  private ask(token: string, input: FilterInput): Promise<SecCheckReply> {
    // the token goes in the URL only (in the body WeChat answers 47001); never log this URL
    const url = wechatUrl(this.opts.apiBase, 'wxa/msg_sec_check');
    url.search = new URLSearchParams({ access_token: token }).toString();
    return postJson<SecCheckReply>(url, { content: input.text, version: 2, scene: SCENES[input.scene], openid: input.openid }, this.timeoutMs);
  }

  private verdict(reply: SecCheckReply): FilterVerdict {
    if (reply.errcode) throw new WechatApiError(reply.errcode, `msg_sec_check: ${reply.errcode} ${reply.errmsg ?? ''}`.trim());
    const suggest = reply.result?.suggest;
    const detail = reply.result?.label === undefined ? undefined : String(reply.result.label);
    if (suggest === 'pass') return ALLOWED;
    if (suggest === 'risky' || suggest === 'review') return detail === undefined ? { allowed: false, reason: suggest } : { allowed: false, reason: suggest, detail };
    throw new WechatApiError(-1, `msg_sec_check: unexpected suggest ${JSON.stringify(suggest)}`);
  }
}
