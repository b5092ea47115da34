// The access token lives in memory only: never in localStorage or a readable cookie, so
// an injected script cannot lift it from storage. A reload restores it through the
// refresh cookie, which JavaScript cannot read.

export type TokenStore = {
  get: () => string | null;
  set: (token: string) => void;
  clear: () => void;
};

export function createTokenStore(): TokenStore {
  let token: string | null = null;
  return {
    get: () => token,
    set: (next) => {
      token = next;
    },
    clear: () => {
      token = null;
    },
  };
}

export const accessTokenStore = createTokenStore();
