/**
 * Session and user ids, kept per tab in sessionStorage as in the original (`session_<ms>_<rand>`). The
 * session ties the socket to this tab's cart and orders.
 */
const SESSION_KEY = 'sessionId';
const USER_KEY = 'userId';

function randomPart(random: () => number = Math.random): string {
  return random().toString(36).slice(2, 11).padEnd(9, '0');
}

export function newSessionId(nowMs: number, random?: () => number): string {
  return `session_${nowMs}_${randomPart(random)}`;
}

export function newUserId(nowMs: number, random?: () => number): string {
  return `user_${nowMs}_${randomPart(random)}`;
}

function stored(key: string, make: () => string, storage: Storage | undefined): string {
  const existing = storage?.getItem(key);
  if (existing && /^[A-Za-z0-9_.-]{1,128}$/.test(existing)) return existing;
  const value = make();
  storage?.setItem(key, value);
  return value;
}

function sessionStore(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined; // storage disabled (privacy mode): ids live for this page only
  }
}

export function getSessionId(): string {
  return stored(SESSION_KEY, () => newSessionId(Date.now()), sessionStore());
}

export function getUserId(): string {
  return stored(USER_KEY, () => newUserId(Date.now()), sessionStore());
}
