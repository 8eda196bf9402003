// The audience page's "Join the host" (连麦, typings/cohost.ts): sign in if needed, camera and microphone
// prompts, `cohost_request` on the room socket, "waiting for the host" with cancel; listed in a `cohosts`
// frame → POST cohosts/push → a small <live-pusher mode="RTC">; every pusher code handled as the host's main
// pusher does (audience-cohost-pusher); dropped from the line-up → the pusher stops with a notice.
import type { CohostDeclineReason, CohostGuest, GuestSlot } from '../../../typings/cohost';
import { CONFIG } from '../../config';
import { chatRt } from '../../lib/chat-page';
import { guestLineup } from '../../lib/guest-windows';
import { t } from '../../lib/i18n';
import { PushRecovery } from '../../lib/push-recovery';
import type { Tone } from '../../lib/pusher-states';
import { describeError, isApiError } from '../../services/api-error';
import { api } from '../../services/client';
import { requestLivePermissions, type LiveScope } from '../../services/permissions';

export type CohostStage = 'none' | 'asking' | 'waiting' | 'joining' | 'on';

export interface CohostData {
  cohost: CohostStage;
  cohostPush: string;
  cohostLive: boolean;
  cohostStatus: string;
  cohostTone: Tone;
  /** why a prompt was refused, with "Open settings" */
  cohostHint: string;
  /** the cohost.* texts */
  k: Record<string, string>;
}

export const initialCohostData: CohostData = {
  cohost: 'none', cohostPush: '', cohostLive: false, cohostStatus: '', cohostTone: 'info', cohostHint: '', k: {},
};

export interface CohostRuntime {
  recovery: PushRecovery;
  ctx: WechatMiniprogram.LivePusherContext | null;
  waitTimer: ReturnType<typeof setTimeout> | null;
  retryTimer: ReturnType<typeof setTimeout> | null;
  hidden: boolean;
  suspended: boolean;
  restarting: boolean;
}

const runtimes = new WeakMap<object, CohostRuntime>();
export function crt(self: object): CohostRuntime {
  let r = runtimes.get(self);
  if (!r) {
    r = { recovery: new PushRecovery(CONFIG.pushRetry), ctx: null, waitTimer: null, retryTimer: null, hidden: false, suspended: false, restarting: false };
    runtimes.set(self, r);
  }
  return r;
}

export interface CohostPage {
  data: CohostData & { roomId: string; stage: string };
  setData(patch: Partial<CohostData>, callback?: () => void): void;
  showChatNotice(text: string): void;
  showLineup(guests: CohostGuest[]): void;
  guestPusher(): WechatMiniprogram.LivePusherContext;
  joinAsGuest(): Promise<void>;
  restartGuestPush(): Promise<void>;
  retryGuestPush(): void;
  endCohost(notice: string, status?: string): void;
  clearCohostTimers(): void;
  renderGuestWindows(restart?: GuestSlot[]): void;
  fetchAndPlay(): Promise<void>;
  retryLater(): void;
}

/** the others switch path (low latency on air, plain FLV off it): every player restarts on its new src */
const reroute = (page: CohostPage) => {
  page.renderGuestWindows(guestLineup(page).map((g) => g.slot));
  if (page.data.stage === 'watching') page.fetchAndPlay().catch(() => page.retryLater()); // the host's picture too
};

export const COHOST_HINTS: Record<LiveScope, 'cohost.permissionCamera' | 'cohost.permissionRecord'> = {
  'scope.camera': 'cohost.permissionCamera', 'scope.record': 'cohost.permissionRecord',
};
/** read afresh after an await (TypeScript would keep the narrowing from before it) */
const stageOf = (page: CohostPage): CohostStage => page.data.cohost;
const myId = (): string | null => api().session.current()?.user.id ?? null;

export const audienceCohost = {
  /** "Join the host": signed in, both prompts granted, then the request; the server answers with a notice. */
  async onJoinHost(this: CohostPage): Promise<void> {
    const chat = chatRt(this).chat;
    if (!chat || this.data.cohost !== 'none') return;
    this.setData({ cohost: 'asking', cohostHint: '', cohostStatus: '' });
    try {
      if (!api().session.current()) chat.authenticate(await api().session.token());
    } catch (e) {
      if (stageOf(this) !== 'asking') return;
      this.setData({ cohost: 'none' });
      this.showChatNotice(`${t('cohost.signIn')}: ${describeError(e)}`);
      return;
    }
    const refused = await requestLivePermissions();
    if (stageOf(this) !== 'asking') return; // a line-up or the page's end came meanwhile
    if (refused) {
      this.setData({ cohost: 'none', cohostHint: t(COHOST_HINTS[refused]) });
      return;
    }
    if (!chat.requestCohost()) {
      this.setData({ cohost: 'none' });
      this.showChatNotice(t('chat.offline'));
      return;
    }
    const r = crt(this);
    this.setData({ cohost: 'waiting', cohostStatus: t('cohost.waiting'), cohostTone: 'info' });
    r.waitTimer = setTimeout(() => {
      r.waitTimer = null;
      if (this.data.cohost !== 'waiting') return;
      chatRt(this).chat?.leaveCohost(); // withdraw cleanly, in case the server still holds it
      this.setData({ cohost: 'none', cohostStatus: '' });
      this.showChatNotice(t('cohost.declined'));
    }, CONFIG.cohostWaitMs);
  },

  onCancelJoin(this: CohostPage) {
    if (this.data.cohost !== 'waiting') return;
    chatRt(this).chat?.leaveCohost();
    this.clearCohostTimers();
    this.setData({ cohost: 'none', cohostStatus: '' });
  },

  onLeaveHost(this: CohostPage) {
    if (this.data.cohost !== 'on' && this.data.cohost !== 'joining') return;
    chatRt(this).chat?.leaveCohost();
    this.endCohost(t('cohost.left'));
  },

  /** Notices for our request: full / not live end the wait (the chat shows their text). */
  onCohostNotice(this: CohostPage, code: string) {
    if ((code === 'cohost_full' || code === 'cohost_not_live' || code === 'cohost_not_found') && this.data.cohost === 'waiting') {
      this.clearCohostTimers();
      this.setData({ cohost: 'none', cohostStatus: '' });
    }
  },

  /** The host declined our request, or it expired unanswered: back to "Join the host" at once, with a toast. */
  onCohostDeclined(this: CohostPage, reason: CohostDeclineReason) {
    if (this.data.cohost !== 'waiting' && this.data.cohost !== 'asking') return;
    this.clearCohostTimers();
    this.setData({ cohost: 'none', cohostStatus: '' });
    const text = t(reason === 'expired' ? 'cohost.expired' : 'cohost.declined');
    wx.showToast({ title: text, icon: 'none' });
    this.showChatNotice(text);
  },

  /** The line-up: listed while waiting → on air; gone from it while on air → the host removed us. */
  onCohosts(this: CohostPage, guests: CohostGuest[]) {
    const me = myId();
    const listed = !!me && guests.some((g) => g.user.id === me);
    if (listed && (this.data.cohost === 'waiting' || this.data.cohost === 'asking')) this.joinAsGuest();
    else if (!listed && (this.data.cohost === 'on' || this.data.cohost === 'joining')) this.endCohost(t('cohost.removed'));
    this.showLineup(guests);
  },

  async joinAsGuest(this: CohostPage): Promise<void> {
    const r = crt(this);
    this.clearCohostTimers();
    r.recovery.reset();
    r.suspended = false;
    this.setData({ cohost: 'joining', cohostStatus: t('cohost.joining'), cohostTone: 'info' });
    try {
      const { push } = await api().cohostPush(this.data.roomId);
      if (this.data.cohost !== 'joining') return; // removed or left meanwhile
      // the pusher mounts with this src; start it once it has it
      this.setData({ cohost: 'on', cohostPush: push.url }, () => this.guestPusher().start({ fail: () => this.retryGuestPush() }));
      reroute(this);
    } catch (e) {
      if (this.data.cohost !== 'joining') return;
      this.endCohost(isApiError(e, 'not_cohost') ? t('cohost.removed') : t('cohost.failed', { reason: describeError(e) }));
    }
  },

  /** Off the air (left, removed, failed): the pusher stops and unmounts, the notice says why. */
  endCohost(this: CohostPage, notice: string, status = '') {
    const r = crt(this);
    this.clearCohostTimers();
    if (r.ctx && this.data.cohostPush) r.ctx.stop({});
    r.suspended = false;
    this.setData({ cohost: 'none', cohostPush: '', cohostLive: false, cohostStatus: status, cohostTone: status ? 'error' : 'info' });
    reroute(this);
    this.showChatNotice(notice);
  },

  clearCohostTimers(this: CohostPage) {
    const r = crt(this);
    if (r.waitTimer !== null) clearTimeout(r.waitTimer);
    if (r.retryTimer !== null) clearTimeout(r.retryTimer);
    r.waitTimer = r.retryTimer = null;
  },

  /** Leaving the page or the room ended: off the line-up for good. */
  cohostStop(this: CohostPage) {
    if (this.data.cohost === 'none') return;
    chatRt(this).chat?.leaveCohost();
    const r = crt(this);
    this.clearCohostTimers();
    if (r.ctx && this.data.cohostPush) r.ctx.stop({});
    this.setData({ cohost: 'none', cohostPush: '', cohostLive: false });
  },

  onCohostSettings() {
    wx.openSetting({});
  },

  guestLowLatency(this: CohostPage): boolean { return this.data.cohost === 'on'; },
  guestSelfId(this: CohostPage): string | null { return this.data.cohost === 'on' || this.data.cohost === 'joining' ? myId() : null; },
};
