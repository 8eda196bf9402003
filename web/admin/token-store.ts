// The admin token, kept in sessionStorage: it lives as long as the tab and is never written to disk-backed storage.
const KEY = 'wxlive.adminToken';

export const tokenStore = {
  get(): string | null {
    try {
      return sessionStorage.getItem(KEY);
    } catch {
      return null; // storage disabled (private mode): the console still works until reload
    }
  },
  set(token: string): void {
    try {
      sessionStorage.setItem(KEY, token);
    } catch {
      // see get()
    }
  },
  clear(): void {
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // see get()
    }
  },
};
