// Camera and microphone permission for broadcasting: ask with wx.authorize, explain a refusal.
import { t, type MessageKey } from '../lib/i18n';

export type LiveScope = 'scope.camera' | 'scope.record';

const WHY: Record<LiveScope, MessageKey> = {
  'scope.camera': 'permission.camera',
  'scope.record': 'permission.record',
};

export const explainRefusal = (scope: LiveScope): string => t(WHY[scope]);

function authorize(scope: LiveScope): Promise<boolean> {
  return new Promise((resolve) => {
    wx.authorize({ scope, success: () => resolve(true), fail: () => resolve(false) });
  });
}

/** Asks for camera, then microphone; resolves with the first refused scope, or null when both are granted. */
export async function requestLivePermissions(): Promise<LiveScope | null> {
  for (const scope of ['scope.camera', 'scope.record'] as const) {
    if (!(await authorize(scope))) return scope;
  }
  return null;
}
