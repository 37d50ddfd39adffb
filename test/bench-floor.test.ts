// scripts/bench-floor.cjs, the floor `npm run bench` sets under a render and a check: it must do the
// same file work as the CLI (the same files, the same fsyncs), or the comparison means nothing.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tempDir } from "./support/cli.js";

const FLOOR = join(import.meta.dirname, "../scripts/bench-floor.cjs");
const floor = (...args: string[]) => spawnSync(process.execPath, [FLOOR, ...args], { encoding: "utf8" });

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out[relative(dir, join(d, e.name))] = readFileSync(join(d, e.name), "utf8");
    }
  };
  walk(dir);
  return out;
}

describe("the benchmark's floor script", () => {
  const project = join(tempDir(), "project");
  expect(cli(["torch@1.9.0", "--out", project]).code).toBe(0);

  it("render: writes the very files the CLI wrote, and no temp file", () => {
    const out = join(tempDir(), "floor");
    const r = floor("render", project, out);
    expect(r.status, r.stderr).toBe(0);
    expect(tree(out)).toEqual(tree(project));
  });

  it("render: makes as many fsyncs as the CLI's render", () => {
    const strace = spawnSync("strace", ["-V"]);
    if (strace.status !== 0) return console.warn("notice: strace is not installed; the fsync count was not compared.");
    const count = (args: string[]) => {
      const report = join(tempDir(), "strace.txt");
      const r = spawnSync("strace", ["-f", "-c", "-e", "trace=fsync,fdatasync", "-o", report, process.execPath, ...args], { encoding: "utf8", env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: "1" } });
      expect(r.status, r.stderr).toBe(0);
      // strace -c: "% time  seconds  usecs/call  calls  [errors]  syscall", one line per call.
      const lines = readFileSync(report, "utf8").split("\n").map((l) => l.trim().split(/\s+/));
      return lines.filter((f) => f.at(-1) === "fsync" || f.at(-1) === "fdatasync").reduce((n, f) => n + Number(f[3]), 0);
    };
    const ours = count([join(import.meta.dirname, "../bin/cuda-scaffold.cjs"), "torch@1.9.0", "--out", join(tempDir(), "cli")]);
    expect(ours).toBeGreaterThan(0);
    expect(count([FLOOR, "render", project, join(tempDir(), "floor")])).toBe(ours);
  });

  it("check: passes on the rendered folder and fails once a file changes", () => {
    expect(floor("check", project).status).toBe(0);
    const changed = join(tempDir(), "changed");
    expect(floor("render", project, changed).status).toBe(0);
    writeFileSync(join(changed, "Dockerfile"), `${readFileSync(join(changed, "Dockerfile"), "utf8")}# edited\n`);
    expect(floor("check", changed).status).toBe(1);
  });
});
