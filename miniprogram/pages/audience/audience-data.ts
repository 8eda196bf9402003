// The audience page's view state: what the WXML binds.
import { initialChatData, type ChatData } from '../../lib/chat-page';
import { initialProfileData, type ProfileData } from '../../lib/profile-sheet';
import type { Tone } from '../../lib/pusher-states';
import type { PlayKind } from '../../lib/urls';
import { initialGuestWindowData, type GuestWindowData } from '../../lib/guest-windows';
import { initialCohostData, type CohostData } from './audience-cohost';

export interface AudienceData extends ChatData, ProfileData, CohostData, GuestWindowData {
  roomId: string;
  title: string;
  /** "12 watching" */
  viewers: string;
  stage: 'loading' | 'watching' | 'offline' | 'ended' | 'missing' | 'error';
  src: string;
  kind: PlayKind;
  status: string;
  tone: Tone;
  playing: boolean;
  buffering: boolean;
  reconnecting: boolean;
  muted: boolean;
  fullScreen: boolean;
  /** in a picture-in-picture window */
  floating: boolean;
  /** the viewer's own phone has no network */
  viewerOffline: boolean;
  /** VOD playlist of the ended broadcast, "" when there is none */
  replay: string;
  error: string;
  netLine: string;
  /** this page's texts (audience.* of lib/messages) */
  m: Record<string, string>;
}

export const initialAudienceData: AudienceData = {
  ...initialChatData, ...initialProfileData, ...initialCohostData, ...initialGuestWindowData,
  roomId: '', title: '', viewers: '', stage: 'loading', src: '', kind: 'flv', status: '', tone: 'info',
  playing: false, buffering: false, reconnecting: false, muted: false, fullScreen: false, floating: false, viewerOffline: false, replay: '', error: '', netLine: '', m: {},
};
