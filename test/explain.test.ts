// Golden `explain` output: every candidate, the rule that kept or rejected it, the base image,
// the driver floor and the sources.
import { describe, expect, it } from "vitest";
import { cli } from "./support/cli.js";

const cases: [string, string[]][] = [
  ["torch-1.9.0-a100", ["torch@1.9.0", "--gpu", "a100"]],
  ["torch-1.9.0-driver-440", ["torch@1.9.0", "--driver", "440.33"]],
  ["tensorflow-2.5.0", ["tensorflow@2.5.0"]],
  ["torch-2.1-tensorflow-2.13", ["torch@2.1", "tensorflow@2.13"]],
];

describe("explain", () => {
  it.each(cases)("%s", async (name, args) => {
    const r = cli(["explain", ...args]);
    expect(r.code, r.stderr).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot(`../fixtures/explain/${name}.txt`);
  });

  it("says why cu102 was rejected for an A100", () => {
    const r = cli(["explain", "torch@1.9.0", "--gpu", "a100"]);
    expect(r.stdout).toMatch(/✘ rejected torch 1\.9\.0\+cu102: no kernels for a100 \(A100, sm_80\)/);
    expect(r.stdout).toMatch(/✔ chosen\s+torch 1\.9\.0\+cu111/);
  });

  it("an unverified release asked for exactly: its reason and sources, and the warning", () => {
    const r = cli(["explain", "torch@2.15.0"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("unverified releases (used only because their exact version was asked for):\n  ! PyTorch 2.15.0: No release-time PyTorch source for 2.15.0 was read");
    expect(r.stdout).toContain("    https://github.com/pytorch/executorch/blob/main/.ci/scripts/tests/test_cu134_dependencies.py");
    expect(r.stdout).toMatch(/^  ! release-unverified: PyTorch 2\.15\.0 is in our data as unverified/m);
    expect(cli(["explain", "torch@2.14.1"]).stdout).not.toContain("unverified releases");
  });
});
