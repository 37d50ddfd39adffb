// The sandbox's own shell (sandbox.sh, the stand-ins and their parts) passes shellcheck, as the
// generated scripts do: the stand-ins are split into parts that bash reads only for their command,
// and shellcheck checks each part on its own.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./view.js";
import { shellcheckUnavailable } from "./sandbox.js";

const here = join(repoRoot, "test/host");
const files = ["sandbox.sh", "stand-ins.sh", ...readdirSync(join(here, "stand-ins.d")).map((f) => `stand-ins.d/${f}`)];

describe.skipIf(shellcheckUnavailable() !== null)("the sandbox harness", () => {
  it.each(files)("%s passes shellcheck", (file) => {
    const r = spawnSync("shellcheck", ["-S", "warning", "-x", file], { cwd: here, encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("reads every part that stand-ins.sh names, and every part is named", () => {
    const dispatch = readFileSync(join(here, "stand-ins.sh"), "utf8");
    const named = new Set([...dispatch.matchAll(/\$PARTS\/([a-z]+\.sh)/g)].map((m) => `stand-ins.d/${m[1]}`));
    expect([...named].sort()).toEqual(files.filter((f) => f.startsWith("stand-ins.d/")).sort());
  });
});
