// The room's cover from the host page: a picture from the album or camera (wx.chooseMedia) or the pusher's
// current frame (snapshot()), checked by its bytes and size, sent raw to POST /api/rooms/:id/cover.
import { checkCover } from '../../lib/cover-image';
import { t } from '../../lib/i18n';
import { describeError } from '../../services/api-error';
import { api } from '../../services/client';
import type { HostData } from './host-data';

interface HostPage {
  data: HostData;
  setData(patch: Partial<HostData>): void;
  pusher(): WechatMiniprogram.LivePusherContext;
  uploadCoverFile(path: string): void;
}

function readBytes(filePath: string): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    wx.getFileSystemManager().readFile({
      filePath,
      // without an encoding readFile hands an ArrayBuffer (a string only with one)
      success: (res) => (typeof res.data === 'string' ? reject(new Error('not binary')) : resolve(res.data)),
      fail: reject,
    });
  });
}

export const hostCover = {
  onChooseCover(this: HostPage) {
    if (this.data.coverBusy) return;
    wx.chooseMedia({
      count: 1, mediaType: ['image'], sizeType: ['compressed'], sourceType: ['album', 'camera'],
      success: (res) => { if (res.tempFiles[0]) this.uploadCoverFile(res.tempFiles[0].tempFilePath); },
      // cancelling the picker is no error
    });
  },

  /** The frame the viewers would see now (the camera must be open: preview or pushing). */
  onSnapshotCover(this: HostPage) {
    if (this.data.coverBusy) return;
    this.pusher().snapshot({
      quality: 'compressed',
      success: (res) => this.uploadCoverFile(res.tempImagePath),
      fail: () => this.setData({ coverError: t('host.coverSnapshotFailed') }),
    });
  },

  async uploadCoverFile(this: HostPage, path: string): Promise<void> {
    this.setData({ coverBusy: true, coverError: '' });
    let bytes: ArrayBuffer;
    try {
      bytes = await readBytes(path);
    } catch {
      this.setData({ coverBusy: false, coverError: t('host.coverReadFailed') });
      return;
    }
    const checked = checkCover(bytes);
    if (!checked.ok) {
      this.setData({ coverBusy: false, coverError: t(checked.reason === 'too-big' ? 'host.coverTooBig' : 'host.coverNotImage') });
      return;
    }
    try {
      const room = await api().uploadCover(this.data.roomId, bytes, checked.type);
      this.setData({ coverBusy: false, cover: room.cover ?? '' });
    } catch (e) {
      this.setData({ coverBusy: false, coverError: describeError(e) });
    }
  },
};
