// The host page's view state: what the WXML binds.
import { initialChatData, type ChatData } from '../../lib/chat-page';
import type { Tone } from '../../lib/pusher-states';
import { initialGuestWindowData, type GuestWindowData } from '../../lib/guest-windows';
import { initialHostCohostData, type HostCohostData } from './host-cohost';

export type PushMode = 'SD' | 'HD' | 'FHD';
export type Orientation = 'vertical' | 'horizontal';
export type Aspect = '9:16' | '3:4';

/** Shown to viewers instead of black while the host is in the background (bundled with the mini-program). */
export const WAITING_IMAGE = '/assets/host-away.png';

export interface HostData extends ChatData, HostCohostData, GuestWindowData {
  stage: 'form' | 'ready' | 'ended';
  title: string;
  creating: boolean;
  formError: string;
  roomId: string;
  roomTitle: string;
  pushUrl: string;
  obsServer: string;
  streamKey: string;
  watchLink: string;
  /** the host wants to be on air: start() issued and not stopped (a 5000 or a lost network keep it true) */
  pushing: boolean;
  /** 1002 seen since the last start */
  live: boolean;
  beauty: number;
  whiteness: number;
  mode: PushMode;
  modes: PushMode[];
  /** the camera in use, as the last successful switchCamera() left it; bound to device-position */
  front: boolean;
  muted: boolean;
  torch: boolean;
  mirror: boolean;
  orientation: Orientation;
  aspect: Aspect;
  /** the camera's largest zoom (getMaxZoom); 0 where the base library has none: no zoom slider */
  maxZoom: number;
  zoom: number;
  /** 0–100 from bindaudiovolumenotify */
  micLevel: number;
  /** the main status: states of the push ("Live", "Reconnecting…", failures) */
  status: string;
  tone: Tone;
  /** the SDK's latest news (bitrate adjusted, retrying the connection…), shown beside the status */
  event: string;
  eventTone: Tone;
  weakNetwork: boolean;
  reconnecting: boolean;
  /** a call or an alarm holds the microphone */
  micInterrupted: boolean;
  /** the phone has no network (wx.onNetworkStatusChange) */
  offline: boolean;
  /** why pushing stopped on its own (shown until the next start) */
  failure: string;
  permissionHint: string;
  netLine: string;
  ending: boolean;
  waitingImage: string;
  /** the room's cover URL, "" without one */
  cover: string;
  coverBusy: boolean;
  coverError: string;
  /** "12 watching" from the chat socket's viewer frames */
  viewers: string;
  /** this page's texts (host.* of lib/messages) */
  m: Record<string, string>;
}

export const initialHostData: HostData = {
  ...initialChatData, ...initialHostCohostData, ...initialGuestWindowData, viewers: '',
  stage: 'form', title: '', creating: false, formError: '',
  roomId: '', roomTitle: '', pushUrl: '', obsServer: '', streamKey: '', watchLink: '',
  pushing: false, live: false, beauty: 5, whiteness: 3, mode: 'HD', modes: ['SD', 'HD', 'FHD'],
  front: true, muted: false, torch: false, mirror: false, orientation: 'vertical', aspect: '9:16', maxZoom: 0, zoom: 1, micLevel: 0,
  status: '', tone: 'info', event: '', eventTone: 'info', weakNetwork: false, reconnecting: false,
  micInterrupted: false, offline: false, failure: '', permissionHint: '', netLine: '',
  ending: false, waitingImage: WAITING_IMAGE, cover: '', coverBusy: false, coverError: '', m: {},
};
