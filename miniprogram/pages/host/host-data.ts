// The host page's view state: what the WXML binds.
import type { Tone } from '../../lib/pusher-states';

export type PushMode = 'SD' | 'HD' | 'FHD';

export interface HostData {
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
  /** start() issued and not stopped */
  pushing: boolean;
  /** 1002 seen since the last start */
  live: boolean;
  beauty: number;
  whiteness: number;
  mode: PushMode;
  modes: PushMode[];
  front: boolean;
  muted: boolean;
  torch: boolean;
  mirror: boolean;
  status: string;
  tone: Tone;
  weakNetwork: boolean;
  reconnecting: boolean;
  /** why pushing stopped on its own (shown until the next start) */
  failure: string;
  permissionHint: string;
  netLine: string;
  ending: boolean;
  /** this page's texts (host.* of lib/messages) */
  m: Record<string, string>;
}

export const initialHostData: HostData = {
  stage: 'form', title: '', creating: false, formError: '',
  roomId: '', roomTitle: '', pushUrl: '', obsServer: '', streamKey: '', watchLink: '',
  pushing: false, live: false, beauty: 5, whiteness: 3, mode: 'HD', modes: ['SD', 'HD', 'FHD'],
  front: true, muted: false, torch: false, mirror: false,
  status: '', tone: 'info', weakNetwork: false, reconnecting: false, failure: '', permissionHint: '', netLine: '',
  ending: false, m: {},
};
