// Golden `explain` output: every candidate, the rule that kept or rejected it, the base image,
// the driver floor and the sources.
import { describe, expect, it } from "vitest";
import { cli } from "./support/cli.js";

const cases: [string, string[]][] = [
  ["torch-1.9.0-a100", ["torch@1.9.0", "--gpu", "a100"]],
  ["torch-1.9.0-driver-440", ["torch@1.9.0", "--driver", "440.33"]],
  ["tensorflow-2.5.0", ["tensorflow@2.5.0"]],
  ["torch-2.1-tensorflow-2.13", ["torch@2.1", "tensorflow@2.13"]],
  ["tensorflow-2.15.0", ["tensorflow@2.15.0"]],
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

  it("an extra the package index cannot install: what is installed instead, what is left out, and the sources", () => {
    const r = cli(["explain", "tensorflow@2.14.0"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^install:\n  tensorflow\[and-cuda\] 2\.14\.0 cannot be installed from the package index: it also requires tensorrt==8\.5\.3\.1/m);
    expect(r.stdout).toMatch(/^    installs tensorflow==2\.14\.0 nvidia-cublas-cu11==11\.11\.3\.6 /m);
    expect(r.stdout).toContain("  https://github.com/tensorflow/tensorflow/issues/61986\n");
    // On Python 3.10 tensorrt 8.5.3.1 has wheels: the extra installs as documented.
    expect(cli(["explain", "tensorflow@2.14.0", "--python", "3.10"]).stdout).not.toContain("\ninstall:\n");
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
