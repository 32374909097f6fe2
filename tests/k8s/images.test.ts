/**
 * The cluster's app images come from the Dockerfile's final stage
 * (tests/k8s/images.ts): what that stage sets must be what the images get.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { binaries } from "../../scripts/binaries.ts";
import { runtimeStage } from "./images.ts";

const dockerfile = readFileSync(join(import.meta.dir, "../../Dockerfile"), "utf8");

describe("app images from the Dockerfile's runtime stage", () => {
  for (const { name } of binaries) {
    test(`${name}: the program at /app/program, run as nonroot, on port 8080`, () => {
      const stage = runtimeStage(dockerfile, name);
      expect(stage.config.entrypoint).toEqual(["/app/program"]);
      expect(stage.config.user).toBe("nonroot:nonroot");
      expect(stage.config.workdir).toBe("/app");
      expect(stage.config.env).toContain("PORT=8080");
      expect(stage.config.exposedPorts).toEqual(["8080/tcp"]);
      expect(stage.copies).toEqual([
        { from: `/out/${name}`, to: "/app/program" },
        { from: "/out/site-dist", to: "/app/site" },
      ]);
    });
  }

  test("only the last stage counts: the builder's WORKDIR, COPY and RUN lines are not in it", () => {
    const stage = runtimeStage(`FROM a AS build\nWORKDIR /src\nCOPY . .\nFROM b\nCOPY --from=build /out/\${SERVICE} /bin/x\nENTRYPOINT ["/bin/x"]\n`, "audit");
    expect(stage.config.workdir).toBeUndefined();
    expect(stage.copies).toEqual([{ from: "/out/audit", to: "/bin/x" }]);
    expect(stage.config.entrypoint).toEqual(["/bin/x"]);
  });
});
