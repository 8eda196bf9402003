// The host's side of co-hosting (连麦, typings/cohost.ts): the pending requests from `cohost_requests` frames
// with accept / decline, the guests in small players (lib/guest-windows) with a remove button each. The REST
// answers update the lists at once; the frames that follow say the same for every other socket.
import type { CohostGuest, CohostRequest, CohostsResponse } from '../../../typings/cohost';
import { t } from '../../lib/i18n';
import { describeError, isApiError } from '../../services/api-error';
import { api } from '../../services/client';

export interface RequestRow { userId: string; name: string }

export interface HostCohostData {
  cohostRequests: RequestRow[];
  /** the user an accept / decline / remove is under way for ("" when none) */
  cohostBusy: string;
  /** the cohost.* texts */
  k: Record<string, string>;
}

export const initialHostCohostData: HostCohostData = { cohostRequests: [], cohostBusy: '', k: {} };

interface Page {
  data: HostCohostData & { roomId: string };
  setData(patch: Partial<HostCohostData>): void;
  showChatNotice(text: string): void;
  showLineup(guests: CohostGuest[]): void;
  onCohostRequests(requests: CohostRequest[]): void;
  cohostCall(userId: string, call: () => Promise<CohostsResponse>): Promise<void>;
}

type Tap = WechatMiniprogram.BaseEvent<{}, { user?: string }>;

const ERROR_KEYS = { cohost_full: 'chat.notice.cohostFull', cohost_request_not_found: 'chat.notice.cohostNotFound' } as const;

export const hostCohost = {
  onCohostRequests(this: Page, requests: CohostRequest[]) {
    this.setData({ cohostRequests: requests.map((q) => ({ userId: q.user.id, name: q.user.nickname })) });
  },

  onCohosts(this: Page, guests: CohostGuest[]) {
    this.showLineup(guests);
  },

  onAcceptCohost(this: Page, e: Tap) {
    const userId = e.currentTarget.dataset.user;
    if (userId) return this.cohostCall(userId, () => api().acceptCohost(this.data.roomId, userId));
    return undefined;
  },

  /** Declining and removing are the same call: the user leaves the requests or the line-up. */
  onDeclineCohost(this: Page, e: Tap) {
    const userId = e.currentTarget.dataset.user;
    if (userId) return this.cohostCall(userId, () => api().removeCohost(this.data.roomId, userId));
    return undefined;
  },

  onRemoveGuest(this: Page, e: Tap) {
    const userId = e.currentTarget.dataset.user;
    if (userId) return this.cohostCall(userId, () => api().removeCohost(this.data.roomId, userId));
    return undefined;
  },

  async cohostCall(this: Page, userId: string, call: () => Promise<CohostsResponse>): Promise<void> {
    if (this.data.cohostBusy) return; // one answer at a time: a double tap must not accept twice
    this.setData({ cohostBusy: userId });
    try {
      const res = await call();
      this.showLineup(res.guests);
      if (res.requests) this.onCohostRequests(res.requests);
      else this.setData({ cohostRequests: this.data.cohostRequests.filter((q) => q.userId !== userId) });
    } catch (e) {
      const key = isApiError(e) ? ERROR_KEYS[e.code as keyof typeof ERROR_KEYS] : undefined;
      this.showChatNotice(key ? t(key) : describeError(e));
    } finally {
      this.setData({ cohostBusy: '' });
    }
  },

  guestLowLatency(): boolean { return true; },
  guestSelfId(): string | null { return null; },
};
