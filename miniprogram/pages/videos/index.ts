// Videos: the library (GET /api/videos, cursor pages) or, opened with ?roomId=, that room's replays. A tapped
// row plays in the <video> at the top: HLS first, the MP4 once if HLS fails, a clear message after that.
// Loading, empty and error states with retry, pull-down refresh, more on reaching the bottom; leaving stops it.
import { labels, t } from '../../lib/i18n';
import {
  firstSource, replaySources, sourceAfterError, videoSources, VideoList, type PlaySources, type VideoItem,
} from '../../lib/video-list';
import { toVideoRow, type VideoRow } from '../../lib/video-rows';
import { pagedListMethods } from '../../lib/paged-list-methods';
import { describeError } from '../../services/api-error';
import { api } from '../../services/client';

interface VideosData {
  replays: boolean;
  roomId: string;
  rows: VideoRow[];
  /** first page (or refresh) in flight */
  loading: boolean;
  loadingMore: boolean;
  /** error of the last load; the retry button repeats it */
  error: string;
  empty: boolean;
  done: boolean;
  /** the row playing (or being opened), its title and the <video> src */
  current: string;
  playTitle: string;
  src: string;
  opening: boolean;
  /** a line under the player: the MP4 fallback, "finished" */
  playNote: string;
  playError: string;
  m: Record<string, string>;
}

interface Runtime {
  list: VideoList;
  /** bumps on refresh, so an answer to a request sent before it is dropped */
  generation: number;
  /** bumps on every tap and on leaving, so a slow play-URL answer never starts an old video */
  playGeneration: number;
  sources: PlaySources | null;
  gone: boolean;
}

const PAGE_SIZE = 20;
const VIDEO_ID = 'vod';
const runtimes = new WeakMap<object, Runtime>();

function rt(self: object): Runtime {
  let r = runtimes.get(self);
  if (!r) {
    r = { list: new VideoList({ kind: 'library' }), generation: 0, playGeneration: 0, sources: null, gone: false };
    runtimes.set(self, r);
  }
  return r;
}

const initial: VideosData = {
  replays: false, roomId: '', rows: [], loading: false, loadingMore: false, error: '', empty: false, done: false,
  current: '', playTitle: '', src: '', opening: false, playNote: '', playError: '', m: {},
};

Component({
  data: initial,

  lifetimes: {
    attached() {
      this.setData({ m: labels('videos') });
    },
  },

  methods: {
    ...pagedListMethods(rt, (r) => r.list, (page) => (page.data as unknown as VideosData).rows.length),

    onPullDownRefresh() {
      return this.refresh().then(() => { wx.stopPullDownRefresh(); });
    },

    onLoad(query: Record<string, string | undefined> = {}) {
      const roomId = (query.roomId ?? '').trim();
      const r = rt(this);
      r.list = new VideoList(roomId ? { kind: 'replays', roomId } : { kind: 'library' });
      this.setData({ replays: !!roomId, roomId });
      wx.setNavigationBarTitle({ title: roomId ? t('videos.replaysTitleBare') : t('videos.navTitle') });
      if (roomId) this.showRoomTitle(roomId);
      return this.refresh();
    },

    /** The bar names the room once its title is known; without it the bare "replays" stays. */
    showRoomTitle(roomId: string) {
      api().getRoom(roomId).then((room) => {
        if (!rt(this).gone && room.title) wx.setNavigationBarTitle({ title: t('videos.replaysTitle', { title: room.title }) });
      }, () => { /* the list shows the error (a missing room) itself */ });
    },

    onUnload() {
      const r = rt(this);
      r.gone = true;
      this.stopPlayback();
    },

    /** In the background the video waits; it is not torn down (the viewer comes back to it). */
    onHide() {
      if (this.data.src) this.video().pause();
    },

    async fetchPage(generation: number): Promise<void> {
      const r = rt(this);
      const list = r.list;
      try {
        if (list.mode.kind === 'replays') {
          const replays = await api().replays(list.mode.roomId);
          if (generation !== r.generation) return;
          list.acceptReplays(replays);
        } else {
          const cursor = list.nextCursor();
          if (cursor === null) return;
          const page = await api().videos(cursor || undefined, PAGE_SIZE);
          if (generation !== r.generation) return;
          list.acceptVideos(cursor, page);
        }
        const now = Date.now();
        this.setData({
          rows: list.items.map((item) => toVideoRow(item, now)),
          loading: false, loadingMore: false, error: '', empty: list.empty, done: list.done,
        });
      } catch (e) {
        if (generation !== r.generation) return;
        this.setData({ loading: false, loadingMore: false, error: describeError(e) });
      }
    },

    /** A row tapped: its sources (a library video asks for its play URLs), then the <video> gets the first. */
    onPlay(e: WechatMiniprogram.BaseEvent<{}, { key?: string }>) {
      return this.playKey(e.currentTarget.dataset.key ?? '');
    },

    async playKey(key: string): Promise<void> {
      const r = rt(this);
      const item = key ? r.list.find(key) : null;
      if (!item) return;
      const playGeneration = ++r.playGeneration;
      if (this.data.src) this.video().stop();
      r.sources = null;
      this.setData({ current: item.key, playTitle: item.title, src: '', opening: true, playNote: '', playError: '' });
      try {
        const sources = await this.sourcesOf(item);
        if (playGeneration !== r.playGeneration || r.gone) return;
        r.sources = sources;
        this.setData({ src: firstSource(sources), opening: false });
      } catch (err) {
        if (playGeneration !== r.playGeneration || r.gone) return;
        this.setData({ opening: false, playError: describeError(err) });
      }
    },

    async sourcesOf(item: VideoItem): Promise<PlaySources> {
      const base = api().http.baseUrl;
      if (item.replay) return replaySources(base, item.replay);
      return videoSources(base, await api().videoPlay(item.videoId!), item.format);
    },

    /** HLS failed: the MP4 once (said under the player); after that, a clear message and "play again". */
    onVideoError() {
      const r = rt(this);
      const next = r.sources ? sourceAfterError(r.sources, this.data.src) : null;
      if (next) {
        this.setData({ src: next, playNote: t('videos.fallback'), playError: '' }, () => { if (!r.gone) this.video().play(); });
        return;
      }
      this.setData({ src: '', playNote: '', playError: t('videos.failed') });
    },

    onVideoEnded() {
      this.setData({ playNote: t('videos.finished') });
    },

    /** After a failure: the same row from the start (HLS first again; a fresh play URL for library videos). */
    onPlayAgain() {
      return this.playKey(this.data.current);
    },

    stopPlayback() {
      const r = rt(this);
      r.playGeneration += 1;
      r.sources = null;
      if (this.data.src) this.video().stop();
      this.setData({ src: '', opening: false });
    },

    video(): WechatMiniprogram.VideoContext {
      return wx.createVideoContext(VIDEO_ID, this);
    },
  },
});
