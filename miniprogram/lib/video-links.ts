// The ways into the Videos page: from the rooms list (the library) and from an ended room (its replays).
// Kept here so the pages they sit on grow by one spread line, not by their own handlers.
import { buildQuery } from './urls';

/** "/pages/videos/index" (the library) or "/pages/videos/index?roomId=…" (that room's replays). */
export function videosPage(roomId?: string): string {
  return `/pages/videos/index${buildQuery({ roomId })}`;
}

interface WithRoom { data: { roomId?: string } }

export const videoLinkMethods = {
  /** rooms list: "视频" */
  onOpenVideos() {
    wx.navigateTo({ url: videosPage() });
  },
  /** audience page, room ended: "看回放" */
  onOpenReplays(this: WithRoom) {
    const id = this.data.roomId;
    if (id) wx.navigateTo({ url: videosPage(id) });
  },
};
