// `cuda-scaffold list`: every framework's releases and builds, as a table or JSON.
import { describe, expect, it } from "vitest";
import { matrix } from "../src/matrix/data.js";
import { cli } from "./support/cli.js";

describe("list", () => {
  it("shows every release of every framework as JSON", () => {
    const r = cli(["list", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { framework: string; version: string; builds: { cuda: string; default: boolean }[] }[];
    const expected = Object.values(matrix.frameworks).reduce((n, fw) => n + fw!.releases.length, 0);
    expect(rows.length).toBe(expected);
    const torch190 = rows.find((x) => x.framework === "torch" && x.version === "1.9.0")!;
    expect(torch190.builds.map((b) => `${b.default ? "*" : ""}${b.cuda}`)).toEqual(["*10.2", "11.1"]);
  });

  it("prints a readable table for one framework, by alias too", () => {
    const r = cli(["list", "pytorch"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PyTorch\nVERSION\s+RELEASED\s+PYTHON\s+CUDA BUILDS/);
    expect(r.stdout).toMatch(/^1\.9\.0\s+2021-06-15\s+3\.6 3\.7 3\.8 3\.9\s+\*10\.2 11\.1$/m);
  });

  it.each([["cuda", /^10\.2\s+10\.2\.89\s+440\.33/m], ["gpus", /^a100\s+A100\s+8\.0\s+Ampere$/m], ["tf", /^2\.5\.0\s/m]])("list %s", (what, pattern) => {
    const r = cli(["list", what]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(pattern);
  });

  it("refuses an unknown name with suggestions", () => {
    const r = cli(["list", "pytroch"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Nothing to list");
  });

  it("marks rows whose facts are unverified", () => {
    const r = cli(["list", "cuda"]);
    expect(r.stdout).toMatch(/^13\.4 \(unverified\)\s+13\.4\.1\s+615\.71\.09/m);
    expect(r.stdout).toMatch(/^13\.3\s+13\.3\.0/m);
    const json = JSON.parse(cli(["list", "cuda", "--json"]).stdout) as { version: string; verified?: boolean; unverifiedReason?: string }[];
    expect(json.find((t) => t.version === "13.4")).toMatchObject({ verified: false, unverifiedReason: expect.stringContaining("Yggdrasil") });
  });

  it("marks framework releases whose facts are unverified, in the table and in JSON", () => {
    const r = cli(["list", "torch"]);
    expect(r.stdout).toMatch(/^2\.15\.0 \(unverified\)\s+3\.10 .*\*13\.4/m);
    expect(r.stdout).toMatch(/^2\.14\.1\s+2026-10/m);
    const json = JSON.parse(cli(["list", "torch", "--json"]).stdout) as { version: string; verified?: boolean; unverifiedReason?: string; unverifiedSources?: string[] }[];
    expect(json.find((t) => t.version === "2.15.0")).toMatchObject({ verified: false, unverifiedReason: expect.stringContaining("ExecuTorch"), unverifiedSources: expect.arrayContaining([expect.stringContaining("pytorch/executorch")]) });
    expect(json.find((t) => t.version === "2.14.1")).not.toHaveProperty("verified");
  });
});
