import { signal } from "@preact/signals";

/** The signed-in user, as the API answers signup and login. */
export interface SessionUser {
  id: string;
  email: string;
  name?: string | null;
  timeZone?: string;
}
export interface Session {
  token: string;
  user: SessionUser;
}

const STORAGE_KEY = "todo.session";

/** The session lives in memory and in localStorage, so a reload or a second tab stays signed in. */
export const session = signal<Session | null>(readStored());

export function signIn(next: Session): void {
  session.value = next;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Private mode or full storage: the session still works in memory.
  }
}

export function signOut(): void {
  session.value = null;
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored to remove.
  }
}

function readStored(): Session | null {
  if (typeof localStorage === "undefined") return null;
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as Session | null;
    return stored && typeof stored.token === "string" && stored.user ? stored : null;
  } catch {
    return null;
  }
}
