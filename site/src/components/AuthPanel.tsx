import { useSignal } from "@preact/signals";
import { api, type ApiError } from "../lib/api.ts";
import { browserTimeZone } from "../lib/dates.ts";
import { session, signIn, type Session, type SessionUser } from "../lib/session.ts";

/** Sign up or log in; hidden once signed in. New accounts take the browser's time zone. */
export default function AuthPanel() {
  const mode = useSignal<"login" | "signup">("signup");
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);
  if (session.value) return null;

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const body: Record<string, string> = { email: String(form.get("email")), password: String(form.get("password")) };
    const name = String(form.get("name") ?? "").trim();
    if (mode.value === "signup" && name) body.name = name;
    busy.value = true;
    error.value = null;
    try {
      // Signing up answers the same whether or not the email is taken (so it reveals no accounts); signing in tells.
      if (mode.value === "signup") await api("POST", "/api/auth/signup", body);
      const next = await api<Session>("POST", "/api/auth/login", { email: body.email, password: body.password }).catch((failure: ApiError) => {
        throw mode.value === "signup" && failure.status === 401
          ? new Error("Could not sign in with these details. If you already have an account, log in with its password.")
          : failure;
      });
      signIn(next);
      if (mode.value === "signup" || !next.user.timeZone || next.user.timeZone === "UTC") {
        // The chat and quick add read "9am" in the profile's zone: make it the one the pickers show.
        const user = await api<SessionUser>("PATCH", "/api/me", { timeZone: browserTimeZone() }).catch(() => next.user);
        signIn({ ...next, user });
      }
    } catch (failure) {
      error.value = (failure as Error).message;
    } finally {
      busy.value = false;
    }
  };
  const signingUp = mode.value === "signup";

  return (
    <section class="card auth" aria-labelledby="auth-heading">
      <h2 id="auth-heading">{signingUp ? "Create your account" : "Log in"}</h2>
      <form onSubmit={submit}>
        {signingUp && (
          <p class="field">
            <label for="auth-name">Name (optional)</label>
            <input id="auth-name" name="name" autocomplete="name" maxLength={100} />
          </p>
        )}
        <p class="field">
          <label for="auth-email">Email</label>
          <input id="auth-email" name="email" type="email" required autocomplete="email" />
        </p>
        <p class="field">
          <label for="auth-password">Password</label>
          <input
            id="auth-password"
            name="password"
            type="password"
            required
            minLength={8}
            autocomplete={signingUp ? "new-password" : "current-password"}
            aria-describedby={signingUp ? "auth-password-hint" : undefined}
          />
          {signingUp && (
            <small id="auth-password-hint" class="hint">
              At least 8 characters; not a common password, nor your email.
            </small>
          )}
        </p>
        {error.value && (
          <p class="error" role="alert">
            {error.value}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy.value}>
          {signingUp ? "Sign up" : "Log in"}
        </button>
      </form>
      <p>
        {signingUp ? "Already have an account? " : "New here? "}
        <button type="button" class="link" onClick={() => ((mode.value = signingUp ? "login" : "signup"), (error.value = null))}>
          {signingUp ? "Log in" : "Create an account"}
        </button>
      </p>
    </section>
  );
}

