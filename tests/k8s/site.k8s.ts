/** The site's Service serves the built site (run by test:k8s inside the cluster's namespace). */
import { expect, test } from "bun:test";
import { readK8sState } from "./cluster.ts";

test("the site Service serves the app's HTML page", async () => {
  const state = readK8sState();
  expect(state?.urls.site).toBeDefined();
  const response = await fetch(`${state!.urls.site}/`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/html");
  expect(await response.text()).toContain("<html");
});
