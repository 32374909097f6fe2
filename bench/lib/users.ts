/** A signed-up user as a client holds it. */
export interface BenchUser {
  userId: string;
  token: string;
}

/** Sign up `count` users through the public API, a few at a time (password hashing is the slow part). */
export async function signUpUsers(baseUrl: string, count: number, label: string, concurrency = 4): Promise<BenchUser[]> {
  const users: BenchUser[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      const credentials = {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: `${label}-${index}-${crypto.randomUUID().slice(0, 8)}@bench.example`, password: "bench password 1" }),
      };
      const signup = await fetch(`${baseUrl}/api/auth/signup`, credentials);
      if (signup.status !== 202) throw new Error(`signup answered ${signup.status}: ${await signup.text()}`);
      // Signup hands out no session (it answers alike for taken emails): sign in.
      const response = await fetch(`${baseUrl}/api/auth/login`, credentials);
      if (response.status !== 200) throw new Error(`login answered ${response.status}: ${await response.text()}`);
      const session = (await response.json()) as { token: string; user: { id: string } };
      users[index] = { userId: session.user.id, token: session.token };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return users;
}
