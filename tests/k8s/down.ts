#!/usr/bin/env bun
/** bun run k8s:down: everything k8s:up started goes (tests/k8s/cluster.sh down). */
import { join } from "node:path";
import { must, REPO_ROOT } from "./cluster.ts";

export const stopK8s = () => must([join(REPO_ROOT, "tests/k8s/cluster.sh"), "down"], { inherit: true });

if (import.meta.main) await stopK8s();
