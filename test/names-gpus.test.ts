// Break-it findings 3–5: --gpus values mean what they say, and every name — given or made from the
// folder — is a valid compose project name and image reference, readable again from the lock.
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parse as parseJsonc } from "jsonc-parser";
import { isValidName, safeName } from "../src/request/parse-request.js";
import { file, refused, renderFor } from "./support/render.js";
import { cli, tempDir } from "./support/cli.js";
import { join } from "node:path";
import { mkdirSync } from "node:fs";

// Docker's reference grammar for one path component, and compose's project-name rule.
const IMAGE_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const COMPOSE_PROJECT = /^[a-z0-9][a-z0-9_-]*$/;

describe("--gpus (finding 3)", () => {
  const reservation = (gpus: string) => {
    const { files } = renderFor(["torch@1.9.0"], { gpus });
    const compose = parseYaml(file(files, "docker-compose.yml")) as { services: { dev: { deploy: { resources: { reservations: { devices: Record<string, unknown>[] } } } } } };
    const dc = parseJsonc(file(files, ".devcontainer/devcontainer.json")) as { runArgs: string[] };
    return { device: compose.services.dev.deploy.resources.reservations.devices[0], runArgs: dc.runArgs.filter((a) => a.startsWith("--gpus")) };
  };
  it.each([
    ["0", { device_ids: ["0"] }, ['--gpus="device=0"']],
    ["0,1", { device_ids: ["0", "1"] }, ['--gpus="device=0,1"']],
    ["2", { count: 2 }, ["--gpus=2"]],
    ["10", { count: 10 }, ["--gpus=10"]],
  ])("--gpus %s", (gpus, want, runArgs) => {
    const r = reservation(gpus);
    expect(r.device).toMatchObject(want);
    expect(r.runArgs).toEqual(runArgs);
  });
  it.each(["007", "00", "0,01"])("--gpus %s (a leading zero) is refused", (gpus) => {
    const [p] = refused(["torch@1.9.0"], { gpus });
    expect(p!.message).toContain("leading zero");
  });
  // break-it round 3, N6: a device named twice was reserved twice.
  it.each([
    ["0,0", "0", "0"],
    ["1,0,1", "1", "1,0"],
    ["GPU-0a1b2c3d,GPU-0a1b2c3d", "GPU-0a1b2c3d", "GPU-0a1b2c3d"],
  ])("--gpus %s (a device twice) is refused, naming it and the list to give", (gpus, twice, fixed) => {
    const [p] = refused(["torch@1.9.0"], { gpus });
    expect(p!.message).toContain(`names device ${twice} twice`);
    expect(p!.hint).toContain(`--gpus ${fixed}`);
  });
});

describe("names (findings 4 and 5)", () => {
  it.each(["a-", "a_-b", "a___b", "0_", "_a", "a.b", "A", "a".repeat(64)])("--name %j is refused", (name) => {
    const [p] = refused(["torch@1.9.0"], { name });
    expect(p!.message).toContain("is not a valid project name");
  });
  it.each(["a", "a-b", "a--b", "a_b", "a__b", "x".repeat(63), "0"])("--name %j is accepted", (name) => {
    expect(() => renderFor(["torch@1.9.0"], { name })).not.toThrow();
  });
  it.each([
    ["b".repeat(70), "b".repeat(63)],
    [`${"a".repeat(62)}-bcd`, "a".repeat(62)],
    ["foo_ bar", "foo-bar"],
    ["a___b", "a-b"],
    ["My Project (v2)", "my-project-v2"],
    ["___", "project"],
    ["日本語", "project"],
    // break-it r2 §15: accented letters became separators (n-c-d-n-c-d).
    ["Ünïcödé Ünïcödé", "unicode-unicode"],
    ["Crème brûlée", "creme-brulee"],
    ["ﬁle", "file"],
  ])("folder %j gets the name %j", (folder, name) => {
    expect(safeName(folder)).toBe(name);
    expect(isValidName(safeName(folder))).toBe(true);
  });
  it("every default name is a valid image component and compose project name", () => {
    for (const folder of ["x-", "x_-y", "-x-", "x__y", "x--y", "a.b.c", "a b", "ÄÖ", "1", "a".repeat(200)]) {
      const n = safeName(folder);
      expect(n).toMatch(IMAGE_COMPONENT);
      expect(n).toMatch(COMPOSE_PROJECT);
      expect(n.length).toBeLessThanOrEqual(63);
    }
  });
  it("a 70-character folder: generate, then check and regenerate read the lock back", () => {
    const dir = join(tempDir(), "c".repeat(70));
    mkdirSync(dir);
    expect(cli(["torch@1.9.0", "--out", dir]).code).toBe(0);
    const check = cli(["check", "--out", dir]);
    expect(check.code, check.stderr).toBe(0);
    const again = cli(["--out", dir]);
    expect(again.code, again.stderr).toBe(0);
  });
});

describe("--gpu capabilities no CUDA release knows (finding 15)", () => {
  it.each(["sm_999", "99.9", "compute_13.9"])("--gpu %s is refused", (gpu) => {
    const [p] = refused(["torch"], { gpu });
    expect(p!.code).toBe("unknown-gpu");
    expect(p!.message).toContain("no CUDA release in our data targets");
  });
  it.each(["sm_90", "8.6", "sm_121"])("--gpu %s is accepted", (gpu) => expect(() => renderFor(["torch"], { gpu })).not.toThrow());
});
