// The profile sheet: the nickname typed or picked with WeChat's own nickname input (`<input type="nickname">`,
// the only way to a user's WeChat name now that getUserProfile returns none), saved with PUT /api/me.
import { describeError } from '../services/api-error';
import { api } from '../services/client';
import { chatRt } from './chat-page';
import { t } from './i18n';
import { checkNickname } from './nickname';

export interface ProfileData {
  profileOpen: boolean;
  nicknameDraft: string;
  profileError: string;
  profileSaving: boolean;
  /** the profile.* texts */
  p: Record<string, string>;
}

export const initialProfileData: ProfileData = { profileOpen: false, nicknameDraft: '', profileError: '', profileSaving: false, p: {} };

interface ProfilePage {
  data: ProfileData;
  setData(patch: Partial<ProfileData>): void;
  showChatNotice(text: string): void;
}

export const profileMethods = {
  onOpenProfile(this: ProfilePage) {
    const current = api().session.current()?.user.nickname ?? '';
    this.setData({ profileOpen: true, nicknameDraft: current, profileError: '' });
  },

  onCloseProfile(this: ProfilePage) {
    this.setData({ profileOpen: false, profileError: '' });
  },

  /** bindinput for typing, bindblur too: picking the WeChat nickname from the keyboard's bar fills the value without an input event on some clients. */
  onNicknameInput(this: ProfilePage, e: WechatMiniprogram.CustomEvent<{ value?: string }>) {
    this.setData({ nicknameDraft: e.detail.value ?? '', profileError: '' });
  },

  /** WeChat's own check of a picked or typed nickname (base library ≥ 2.29.1); a refused one is cleared. */
  onNicknameReview(this: ProfilePage, e: WechatMiniprogram.CustomEvent<{ pass?: boolean; timeout?: boolean }>) {
    if (e.detail.pass === false && !e.detail.timeout) this.setData({ nicknameDraft: '', profileError: t('profile.reviewRejected') });
  },

  async onSaveNickname(this: ProfilePage): Promise<void> {
    if (this.data.profileSaving) return;
    const checked = checkNickname(this.data.nicknameDraft);
    if (!checked.ok) {
      this.setData({ profileError: checked.error });
      return;
    }
    this.setData({ profileSaving: true, profileError: '' });
    try {
      await api().setNickname(checked.nickname);
      this.setData({ profileSaving: false, profileOpen: false });
      this.showChatNotice(t('profile.saved'));
      // the socket names the user by its auth: authenticate again so `you` (and the next messages) carry the new name
      const chat = chatRt(this).chat;
      const token = api().session.current()?.token;
      if (chat && token) chat.authenticate(token);
    } catch (e) {
      this.setData({ profileSaving: false, profileError: describeError(e) });
    }
  },
};
