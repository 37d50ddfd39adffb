// --platform through the built CLI: refusals exit 1 and write nothing; the lock round-trips.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tempDir } from "./support/cli.js";

describe("--platform on the command line", () => {
  it.each<[string, string[]]>([
    ["an unknown platform", ["torch@2.9.0", "--platform", "linux/riscv64"]],
    ["torch 2.8.0 cu128 on arm64", ["torch@2.8.0", "--platform", "linux/arm64", "--cuda", "12.8"]],
    ["arm64 with an amd64-only --os", ["torch@2.9.0", "--platform", "linux/arm64", "--os", "ubuntu16.04"]],
    ["gh200 with linux/amd64", ["torch@2.9.0", "--platform", "linux/amd64", "--gpu", "gh200"]],
    ["tensorflow on arm64 (no aarch64 CUDA wheel)", ["tensorflow", "--platform", "linux/arm64"]],
    ["paddle on arm64 (no aarch64 GPU wheel)", ["paddle@2.6.2", "--platform", "linux/arm64"]],
    ["jax 0.4.38 on arm64 (no aarch64 jax-cuda12-plugin)", ["jax@0.4.38", "--platform", "linux/arm64"]],
  ])("%s: exit 1, nothing written", (_label, args) => {
    const out = tempDir("cs-arm64-");
    const r = cli([...args, "--out", out]);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stderr).toMatch(/\S/);
    expect(readdirSync(out)).toEqual([]);
  });

  it("tensorflow on arm64: the refusal names TensorFlow's install page and the NGC containers", () => {
    const out = tempDir("cs-arm64-");
    const r = cli(["tensorflow", "--gpu", "gh200", "--out", out]);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stderr).toContain("no linux/aarch64 CUDA wheel");
    expect(r.stderr).toContain("nvcr.io/nvidia/tensorflow");
    expect(readdirSync(out)).toEqual([]);
  });

  it("jax on a GH200: arm64 files with the aarch64 CUDA plugin pinned, and check reads them back", () => {
    const out = tempDir("cs-arm64-");
    const r = cli(["jax@0.11.0", "--gpu", "gh200", "--name", "gh", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const lock = JSON.parse(readFileSync(join(out, "cuda-scaffold.lock.json"), "utf8"));
    expect(lock.request.platform).toBe("linux/arm64");
    const df = readFileSync(join(out, "Dockerfile"), "utf8");
    expect(df).toContain("FROM --platform=linux/arm64 ");
    expect(df).toContain("jax-cuda13-plugin==0.11.0\n");
    const c = cli(["check", "--out", out]);
    expect(c.code, c.stdout + c.stderr).toBe(0);
  });

  it("arm64 files: the lock records the platform and check reads it back", () => {
    const out = tempDir("cs-arm64-");
    const r = cli(["torch@2.9.0", "--gpu", "gb10", "--name", "spark", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const lock = JSON.parse(readFileSync(join(out, "cuda-scaffold.lock.json"), "utf8"));
    expect(lock.request.platform).toBe("linux/arm64");
    expect(readFileSync(join(out, "Dockerfile"), "utf8")).toContain("FROM --platform=linux/arm64 ");
    const c = cli(["check", "--out", out]);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    expect(existsSync(join(out, "Dockerfile"))).toBe(true);
  });
});
