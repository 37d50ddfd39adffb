// Finding 2 of the break-it round: a kill -9 at any moment of a write leaves every file wholly old
// or wholly new, never missing, with a lock that `check` can explain; the next run sweeps the
// temp files and completes. The test-only hook CUDA_SCAFFOLD_FAULT=<n> makes the writer SIGKILL
// itself at its n-th step; the loop tries every step until a run gets past the last one.
import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { FILES, checkNow, contents, generation, inParallel, litter, run, runAsync, tree, type Outcome } from "./support/write-tree.js";

const OLD = ["torch@1.9.0", "--name", "demo"];
const NEW = ["torch@1.9.0", "--name", "demo", "--python", "3.8"];
const oldCopy = generation(OLD);
const newCopy = generation(NEW);
const DEAD_PID = "99999999";

interface Trial {
  n: number;
  dir: string;
  killed: Outcome;
  files: Record<string, string>;
  check: Outcome;
  rerun: Outcome;
  after: string[];
}

async function trial(n: number): Promise<Trial> {
  const dir = oldCopy();
  const killed = await runAsync([...NEW, "--out", dir], { CUDA_SCAFFOLD_FAULT: String(n) });
  const files = contents(dir);
  // check as the CLI runs it, in this process (the kill was the real process's; a Node start per trial only cost time).
  const check = checkNow(dir);
  const rerun = await runAsync([...NEW, "--out", dir]);
  return { n, dir, killed, files, check, rerun, after: litter(dir) };
}

describe("a kill -9 at every step of a write", () => {
  it("leaves each file wholly old or wholly new, and the next run completes", async () => {
    const old = contents(oldCopy());
    const fresh = contents(newCopy());
    for (const f of FILES) expect(old[f], f).not.toBe(fresh[f]);
    const trials: Trial[] = [];
    for (let from = 1; !trials.some((t) => t.killed.signal === null); from += 8) {
      trials.push(...(await inParallel(Array.from({ length: 8 }, (_, i) => from + i), 2, trial)));
      if (from > 400) throw new Error("the fault hook never let a run finish");
    }
    const steps = trials.findIndex((t) => t.killed.signal === null);
    // Enough steps to cover: temp files written and synced, backups, each rename, the lock last.
    expect(steps, "kill points seen").toBeGreaterThanOrEqual(FILES.length * 3);
    const shapes = new Set<string>();
    for (const t of trials.slice(0, steps)) {
      const at = `kill at step ${t.n}: ${t.killed.stderr}`;
      expect(t.killed.signal, at).toBe("SIGKILL");
      const shape = FILES.map((f) => {
        expect([old[f], fresh[f]], `${at} ${f}`).toContain(t.files[f]);
        return t.files[f] === fresh[f] ? "N" : "O";
      }).join("");
      shapes.add(shape);
      // The lock is written last: a new lock means every file is new.
      if (shape.endsWith("N")) expect(shape, at).toBe("NNNNN");
      expect([0, 2], `${at}\ncheck: ${t.check.stderr}`).toContain(t.check.code);
      const states = (JSON.parse(t.check.stdout) as { files: { state: string }[] }).files.map((f) => f.state);
      for (const s of states) expect(["up to date", "stale"], at).toContain(s);
      expect(t.rerun.code, `${at}\nrerun: ${t.rerun.stderr}`).toBe(0);
      expect(contents(t.dir), at).toEqual(fresh);
      expect(t.after, at).toEqual([]);
    }
    // The loop saw the whole range: all old, mixed trees, and all new.
    expect(shapes).toContain("OOOOO");
    expect(shapes).toContain("NNNNN");
    for (const t of trials) rmSync(t.dir, { recursive: true, force: true });
  }, 180_000);
});

describe("stale files from earlier runs", () => {
  it("removes the writer's own temp files and backups of dead runs, keeps a live run's and the user's", () => {
    const dir = oldCopy();
    const plant = (name: string) => writeFileSync(join(dir, name), "leftover\n");
    const gone = [
      `.Dockerfile.cuda-scaffold-${DEAD_PID}.tmp`,
      `host/.bootstrap-oraclelinux.sh.cuda-scaffold-${DEAD_PID}.tmp`,
      `.devcontainer/.devcontainer.json.cuda-scaffold-${DEAD_PID}.old`,
      `.cuda-scaffold.lock.json.cuda-scaffold-${DEAD_PID}.tmp`,
      `.docker-compose.yml.new-${DEAD_PID}`,
    ];
    const kept = [`.Dockerfile.cuda-scaffold-${process.pid}.tmp`, ".Dockerfile.bak", "notes.txt", `.Makefile.cuda-scaffold-${DEAD_PID}.tmp`];
    for (const name of [...gone, ...kept]) plant(name);
    const r = run([...OLD, "--out", dir]);
    expect(r.code, r.stderr).toBe(0);
    for (const name of gone) expect(existsSync(join(dir, name)), name).toBe(false);
    for (const name of kept) expect(readFileSync(join(dir, name), "utf8"), name).toBe("leftover\n");
  });

  it("a run that finds nothing to change still sweeps, and leaves no run lock behind", () => {
    const dir = oldCopy();
    const before = tree(dir);
    writeFileSync(join(dir, `.Dockerfile.cuda-scaffold-${DEAD_PID}.old`), "x");
    const r = run([...OLD, "--out", dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Everything was up to date.");
    expect(tree(dir)).toEqual(before);
  });
});
