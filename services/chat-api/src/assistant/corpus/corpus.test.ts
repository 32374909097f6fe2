import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testDatabases } from "@todo/testkit/databases";
import { createHarness, manualClock, type Harness } from "../../tasks/api.fixture.ts";
import { mismatch, NOW, readCorpus, SEEDS, ZONE, type Case, type Outcome, type StoredTask } from "./corpus.ts";

/**
 * The corpus through POST /api/chat on the real app: every case gets a new
 * user with the seed tasks, says its turns in one conversation, and the task
 * state afterwards is checked. Reports the score of the training part (whose
 * failures are printed) and of the held-out part (only its score, unless
 * CORPUS_SHOW_HELDOUT=1), and fails below the floors.
 */
// Issue 16 asks 90 % of the held-out part; the training part must not slip either.
const FLOOR = { train: 0.95, heldout: 0.9 };

const parts = {
  train: readCorpus(await Bun.file(new URL("./train.txt", import.meta.url)).text()),
  heldout: readCorpus(await Bun.file(new URL("./heldout.txt", import.meta.url)).text()),
};

describe.each(testDatabases())("assistant corpus through POST /api/chat on $name", ({ open }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(open, { clock: manualClock(NOW.toISOString()) });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  async function tasksOf(token: string): Promise<StoredTask[]> {
    const reply = await h.call<{ items: StoredTask[] }>("GET", "/api/tasks?status=all&limit=100", { token });
    return reply.body.items;
  }

  async function run(item: Case): Promise<Outcome> {
    const { token } = await h.signup("corpus");
    await h.call("PATCH", "/api/me", { token, body: { timeZone: ZONE } });
    const ids = new Map<string, string>();
    for (const seed of SEEDS) {
      const created = await h.createTask(token, seed.body);
      ids.set(seed.name, created.id);
      if (seed.completed) await h.call("POST", `/api/tasks/${created.id}/complete`, { token });
    }
    const before = await tasksOf(token);
    let conversationId: string | undefined;
    let last = { reply: "", actions: [] as Outcome["actions"] };
    for (const message of item.turns) {
      const reply = await h.call<{ conversationId: string; reply: string; actions: Outcome["actions"] }>("POST", "/api/chat", {
        token,
        body: conversationId ? { message, conversationId } : { message },
      });
      if (reply.status !== 200) throw new Error(`chat answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      conversationId = reply.body.conversationId;
      last = reply.body;
    }
    return { ids, before, after: await tasksOf(token), ...last };
  }

  for (const [part, cases] of Object.entries(parts) as [keyof typeof parts, Case[]][]) {
    test(
      `${part}: ${cases.length} cases score at least ${FLOOR[part] * 100}%`,
      async () => {
        const failures: { item: Case; why: string }[] = [];
        const bySection = new Map<string, { pass: number; total: number }>();
        for (const item of cases) {
          const why = mismatch(item.expect, await run(item), item.reply);
          const tally = bySection.get(item.section) ?? { pass: 0, total: 0 };
          tally.total++;
          if (why) failures.push({ item, why });
          else tally.pass++;
          bySection.set(item.section, tally);
        }
        const score = (cases.length - failures.length) / cases.length;
        const lines = [`corpus ${part}: ${cases.length - failures.length}/${cases.length} = ${(score * 100).toFixed(1)}%`];
        for (const [section, tally] of bySection) lines.push(`  ${tally.pass}/${tally.total}  ${section}`);
        if (part === "train" || process.env.CORPUS_SHOW_HELDOUT === "1") {
          for (const { item, why } of failures) lines.push(`  FAIL ${part}.txt:${item.line} ${item.turns.join(" || ")}\n       => ${item.expect}\n       ${why}`);
        }
        console.log(lines.join("\n"));
        expect(score).toBeGreaterThanOrEqual(FLOOR[part]);
      },
      300_000,
    );
  }
});
