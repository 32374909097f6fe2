/**
 * The people the load comes from: 1,000 connected tabs in a full run, as
 * 500 users with two tabs each (signing up is slow on purpose: password
 * hashing, so a run signs up once and every scenario copies that data).
 */
export function crowd(quick: boolean): { users: number; tabsPerUser: number } {
  return quick ? { users: 20, tabsPerUser: 1 } : { users: 500, tabsPerUser: 2 };
}
