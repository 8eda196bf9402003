// Camera and microphone permission for broadcasting: ask with wx.authorize, explain a refusal.

export type LiveScope = 'scope.camera' | 'scope.record';

const WHY: Record<LiveScope, string> = {
  'scope.camera': 'Broadcasting needs the camera. Tap "Open settings" and allow Camera.',
  'scope.record': 'Broadcasting needs the microphone. Tap "Open settings" and allow Microphone.',
};

export const explainRefusal = (scope: LiveScope): string => WHY[scope];

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
