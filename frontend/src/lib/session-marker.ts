// Whether this browser may hold a session worth restoring. The refresh cookie is HttpOnly, so
// the app cannot see it; without a marker every anonymous page load would ask the server to
// refresh and get a 401, which the browser logs as a failed request. The marker holds no
// secret (it is only "signed in here"), so local storage is fine for it.

const KEY = 'tf.session';

export type SessionMarker = {
  /** True when a session was opened in this browser and not closed since. */
  present: () => boolean;
  set: () => void;
  clear: () => void;
};

/** A marker kept in `storage`; with no storage at all (disabled, private modes) it always says yes. */
export function createSessionMarker(storage: () => Storage | null): SessionMarker {
  const attempt = <T>(apply: (store: Storage) => T, fallback: T): T => {
    try {
      const store = storage();
      return store ? apply(store) : fallback;
    } catch {
      return fallback;
    }
  };
  return {
    // Unknown is treated as present: an unnecessary refresh is better than a lost session.
    present: () => attempt((store) => store.getItem(KEY) !== null, true),
    set: () => attempt((store) => store.setItem(KEY, '1'), undefined),
    clear: () => attempt((store) => store.removeItem(KEY), undefined),
  };
}

export const sessionMarker = createSessionMarker(() => globalThis.localStorage ?? null);
