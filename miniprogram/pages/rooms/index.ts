// Home: live rooms first (then upcoming, then ended), pull-down refresh, infinite scroll with the
// cursor, empty and error states with retry. Built with Component() so it also loads in the simulator.
import { labels, t } from '../../lib/i18n';
import { toRoomCard, type RoomCard } from '../../lib/room-card';
import { RoomFeed } from '../../lib/room-feed';
import { pagedListMethods } from '../../lib/paged-list-methods';
import { pageUrl } from '../../lib/urls';
import { videoLinkMethods } from '../../lib/video-links';
import { describeError } from '../../services/api-error';
import { api } from '../../services/client';

interface RoomsData {
  rooms: RoomCard[];
  /** first page (or refresh) in flight */
  loading: boolean;
  loadingMore: boolean;
  /** error of the last load; the retry button repeats it */
  error: string;
  empty: boolean;
  done: boolean;
  /** this page's texts (rooms.* of lib/messages) */
  m: Record<string, string>;
}

interface Runtime {
  feed: RoomFeed;
  /** bumps on refresh, so an answer to a request sent before the refresh is dropped */
  generation: number;
}

const PAGE_SIZE = 20;
/** one call may skip empty phases (no live rooms → upcoming), but never loops without bound */
const MAX_REQUESTS_PER_LOAD = 6;
const runtimes = new WeakMap<object, Runtime>();

function rt(self: object): Runtime {
  let r = runtimes.get(self);
  if (!r) {
    r = { feed: new RoomFeed(PAGE_SIZE), generation: 0 };
    runtimes.set(self, r);
  }
  return r;
}

const initial: RoomsData = { rooms: [], loading: false, loadingMore: false, error: '', empty: false, done: false, m: {} };

Component({
  data: initial,

  lifetimes: {
    attached() {
      this.setData({ m: labels('rooms') });
    },
  },

  methods: {
    ...videoLinkMethods,
    ...pagedListMethods(rt, (r) => r.feed, (page) => (page.data as unknown as RoomsData).rooms.length),

    onPullDownRefresh() {
      return this.refresh().then(() => { wx.stopPullDownRefresh(); });
    },

    onLoad() {
      wx.setNavigationBarTitle({ title: t('rooms.navTitle') });
      return this.refresh();
    },

    /** Loads until at least one new room arrived or the feed is done. */
    async fetchPage(generation: number): Promise<void> {
      const r = rt(this);
      const before = r.feed.rooms.length;
      try {
        for (let i = 0; i < MAX_REQUESTS_PER_LOAD && r.feed.rooms.length === before; i++) {
          const q = r.feed.nextQuery();
          if (!q) break;
          const page = await api().listRooms(q);
          if (generation !== r.generation) return;
          r.feed.accept(q, page);
        }
        const now = Date.now();
        this.setData({
          rooms: r.feed.rooms.map((room) => toRoomCard(room, now)),
          loading: false, loadingMore: false, error: '', empty: r.feed.empty, done: r.feed.done,
        });
      } catch (e) {
        if (generation !== r.generation) return;
        this.setData({ loading: false, loadingMore: false, error: describeError(e) });
      }
    },

    /** A cover that does not load (gone, or its domain not allowed for images) leaves the plain tile. */
    onCoverError(e: WechatMiniprogram.BaseEvent<{}, { index?: number }>) {
      const i = Number(e.currentTarget.dataset.index);
      if (Number.isInteger(i) && this.data.rooms[i]) this.setData({ [`rooms[${i}].cover`]: '' });
    },

    onOpenRoom(e: WechatMiniprogram.BaseEvent<{}, { id?: string }>) {
      const id = e.currentTarget.dataset.id;
      if (id) wx.navigateTo({ url: pageUrl('audience', { id }) });
    },

    onStartBroadcast() {
      wx.navigateTo({ url: pageUrl('host') });
    },
  },
});
