// Finding 9 of the break-it round: two renders into one folder never crash and never mix files.
// A run holds .cuda-scaffold.lock in --out for the whole read-plan-write; a second live run is
// refused (exit 1); a lock left by a dead run is taken over.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, symlinkSync, writeFileSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./support/cli.js";
import { contents, generation, inParallel, litter, run, runAsync, tree } from "./support/write-tree.js";

const RUN_LOCK = ".cuda-scaffold.lock";
const A = ["torch@1.9.0", "--name", "demo", "--force"];
const B = ["tensorflow@2.15", "--name", "demo", "--force"];

describe("the run lock", () => {
  it("refuses while another live run holds the folder, and writes nothing", () => {
    const dir = tempDir();
    writeFileSync(join(dir, RUN_LOCK), `${process.pid}\n`);
    const before = tree(dir);
    const r = run([...A, "--out", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`pid ${process.pid}`);
    expect(r.stderr).toContain(RUN_LOCK);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(tree(dir)).toEqual(before);
  });

  it.each([
    ["a dead pid", "99999999\n", false],
    ["an empty lock older than ten minutes", "", true],
    ["garbage older than ten minutes", "not a pid\n", true],
  ])("takes over a lock left with %s, and removes it when done", (_name, body, age) => {
    const dir = tempDir();
    const lock = join(dir, RUN_LOCK);
    writeFileSync(lock, body);
    if (age) utimesSync(lock, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const r = run([...A, "--out", dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
    expect(litter(dir)).toEqual([]);
  });

  // The holder file is read through the shared bounded reader: what is not a small regular file is
  // refused with its reason before a byte is read (a FIFO would hang a plain read, a huge file fill memory).
  it.each([
    ["a FIFO", (lock: string) => execFileSync("mkfifo", [lock]), "is a FIFO, not a regular file"],
    ["a symbolic link", (lock: string) => symlinkSync("/dev/zero", lock), "is a symbolic link"],
    ["a file larger than a pid", (lock: string) => writeFileSync(lock, "1".repeat(1 << 20)), "is larger than 4 KiB"],
  ])("refuses %s in the run lock's place, and writes nothing", (_name, make, reason) => {
    const dir = tempDir();
    make(join(dir, RUN_LOCK));
    const before = tree(dir);
    const r = run([...A, "--out", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${RUN_LOCK} ${reason}, so it cannot be cuda-scaffold's run lock`);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(tree(dir)).toEqual(before);
  });

  it("dry runs and check take no lock", () => {
    const dir = tempDir();
    writeFileSync(join(dir, RUN_LOCK), `${process.pid}\n`);
    expect(run([...A, "--out", dir, "--dry-run"]).code).toBe(0);
    expect(readFileSync(join(dir, RUN_LOCK), "utf8")).toBe(`${process.pid}\n`);
  });
});

describe("two renders at once", () => {
  const aTree = generation(A);
  const bTree = generation(B);

  it("never crash, and the folder always ends wholly one stack", async () => {
    const a = contents(aTree());
    const b = contents(bTree());
    const rounds = Array.from({ length: 8 }, (_, i) => i);
    const results = await inParallel(rounds, 1, async (i) => {
      const dir = i % 2 ? aTree() : bTree();
      const [x, y] = await Promise.all([runAsync([...A, "--out", dir]), runAsync([...B, "--out", dir])]);
      return { dir, x, y };
    });
    for (const { dir, x, y } of results) {
      for (const r of [x, y]) {
        expect([0, 1], r.stderr).toContain(r.code);
        if (r.code === 1) expect(r.stderr).toContain("is writing to");
      }
      const now = contents(dir);
      expect([a, b]).toContainEqual(now);
      const checked = run(["check", "--out", dir]);
      expect(checked.code, `${x.stderr}\n${y.stderr}\n${checked.stdout}${checked.stderr}`).toBe(0);
      expect(litter(dir)).toEqual([]);
    }
  }, 60_000);
});
