// The host page's camera and picture controls. The camera and torch state change only when the pusher
// context says the switch happened, so after a restart the buttons match the camera actually in use.
import { t } from '../../lib/i18n';
import type { HostData, PushMode } from './host-data';

interface HostPage {
  data: HostData;
  setData(patch: Partial<HostData>): void;
  pusher(): WechatMiniprogram.LivePusherContext;
}

const toast = (title: string) => wx.showToast({ title, icon: 'none' });

export const hostControls = {
  onBeauty(this: HostPage, e: WechatMiniprogram.SliderChange) {
    this.setData({ beauty: e.detail.value });
  },

  onWhiteness(this: HostPage, e: WechatMiniprogram.SliderChange) {
    this.setData({ whiteness: e.detail.value });
  },

  onMode(this: HostPage, e: WechatMiniprogram.BaseEvent<{}, { mode?: PushMode }>) {
    const mode = e.currentTarget.dataset.mode;
    if (mode) this.setData({ mode });
  },

  onSwitchCamera(this: HostPage) {
    this.pusher().switchCamera({
      // the torch only exists on the back camera and goes off when switching
      success: () => this.setData({ front: !this.data.front, torch: false }),
      fail: () => toast(t('host.cameraSwitchFailed')),
    });
  },

  onToggleTorch(this: HostPage) {
    if (this.data.front) {
      toast(t('host.torchNeedsBack'));
      return;
    }
    this.pusher().toggleTorch({
      success: () => this.setData({ torch: !this.data.torch }),
      fail: () => toast(t('host.torchFailed')),
    });
  },

  onToggleMute(this: HostPage) {
    this.setData({ muted: !this.data.muted });
  },

  onToggleMirror(this: HostPage) {
    this.setData({ mirror: !this.data.mirror });
  },

  /** Portrait or landscape: chosen before going live (the SDK fixes it when the push starts). */
  onToggleOrientation(this: HostPage) {
    if (this.data.pushing) return;
    this.setData({ orientation: this.data.orientation === 'vertical' ? 'horizontal' : 'vertical' });
  },

  onToggleAspect(this: HostPage) {
    if (this.data.pushing) return;
    this.setData({ aspect: this.data.aspect === '9:16' ? '3:4' : '9:16' });
  },

  /** Zoom only where the base library and the camera have it (getMaxZoom answered above 1). */
  readMaxZoom(this: HostPage) {
    const ctx = this.pusher();
    if (typeof ctx.getMaxZoom !== 'function') return;
    ctx.getMaxZoom({
      success: (res) => {
        const max = Math.floor(Number(res.maxZoom));
        if (Number.isFinite(max) && max > 1) this.setData({ maxZoom: max });
      },
    });
  },

  onZoom(this: HostPage, e: WechatMiniprogram.SliderChange) {
    const zoom = e.detail.value;
    this.pusher().setZoom({ zoom, success: () => this.setData({ zoom }) });
  },

  onAudioVolume(this: HostPage, e: WechatMiniprogram.CustomEvent<{ volume?: number }>) {
    const v = Number(e.detail.volume);
    const level = Number.isFinite(v) ? Math.max(0, Math.min(100, Math.round(v))) : 0;
    if (level !== this.data.micLevel) this.setData({ micLevel: level });
  },

  onCopy(this: HostPage, e: WechatMiniprogram.BaseEvent<{}, { value?: string }>) {
    const value = e.currentTarget.dataset.value;
    if (value) wx.setClipboardData({ data: value });
  },
};
