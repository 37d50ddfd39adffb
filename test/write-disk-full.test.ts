// Finding 10 of the break-it round: when a write fails and the tool says "nothing was changed",
// nothing was: the tree is as it was and no temp file is left. First on a real, nearly full tmpfs
// (root and a private mount namespace needed; skipped with a notice otherwise), then with an
// error injected at every step through the test-only hook CUDA_SCAFFOLD_FAULT=<n>:<code>.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { BIN, tempDir } from "./support/cli.js";
import { contents, generation, inParallel, litter, runAsync, tree, type Outcome } from "./support/write-tree.js";

const OLD = ["torch@1.9.0", "--name", "demo"];
const NEW = ["tensorflow@2.15", "--name", "demo", "--force"];

/** Runs `script` as root in a private mount namespace with a tmpfs at $M; null when that is not possible here. */
function inTmpfs(script: string, size: string): string | null {
  const m = tempDir("cs-full-");
  const r = spawnSync("unshare", ["-m", "--propagation", "private", "--", "bash", "-c", `mount -t tmpfs -o size=${size} tmpfs "$M" || exit 99\n${script}`], {
    encoding: "utf8",
    env: { ...process.env, M: m, CS: `${process.execPath} ${BIN}` },
  });
  if (r.error || r.status === 99 || r.status === 1 && /unshare failed|Operation not permitted/.test(r.stderr)) return null;
  if (r.status !== 0) throw new Error(`tmpfs script failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

// Generates OLD, fills the tmpfs until `spare` KiB are left, lists the tree, runs NEW, lists again.
const FILL_AND_RUN = (spare: number) => `
set -u
cd "$M"
$CS ${OLD.join(" ")} --out "$M" >/dev/null || exit 3
avail=$(df --output=avail -k "$M" | tail -1)
[ "$avail" -gt ${spare} ] && dd if=/dev/zero of="$M/filler" bs=1k count=$((avail - ${spare})) 2>/dev/null
list() { find . -path ./filler -prune -o -print0 | sort -z | xargs -0 -I{} sh -c 'if [ -f "{}" ]; then printf "%s %s\\n" "{}" "$(sha256sum < "{}" | cut -c1-16)"; else echo "{}"; fi'; }
echo "== before"; list
echo "== run"; $CS ${NEW.join(" ")} --out "$M" 2>&1; echo "exit $?"
echo "== after"; list
`;

const notice = () => console.warn("notice: cannot mount a tmpfs in a private mount namespace here (needs root); the real disk-full test is skipped.");

describe("a full disk", () => {
  it.each([0, 8, 24, 60])("with %i KiB left: exit 1 and the tree untouched, or exit 0 and complete", (spare) => {
    const out = inTmpfs(FILL_AND_RUN(spare), "256k");
    if (out === null) return notice();
    const [, before, run, after] = out.split(/^== \w+$/m);
    const code = Number(/^exit (\d+)$/m.exec(run!)![1]);
    expect(run, run).not.toContain("hit a bug");
    if (code === 1) {
      expect(run).toContain("error[write-failed]");
      expect(run).toContain("nothing was changed");
      expect(run).toMatch(/ENOSPC|EDQUOT/);
      expect(run).toMatch(/hint: (The disk is full|Your disk quota is used up): free some space, then run again\./);
      expect(after).toBe(before);
    } else {
      expect(code, run).toBe(0);
      expect(after).not.toMatch(/cuda-scaffold-\d+\.|\.\/\.cuda-scaffold\.lock /);
    }
  });
});

// break-it r2 §15: a read-only mount was reported as ENOENT for a folder to make (Node's recursive
// mkdir says so); the message names the cause, and each cause its own hint.
describe("a read-only file system", () => {
  it.each([["an existing folder", "p"], ["a folder still to make", "p/sub"]])("%s: EROFS, with what to do, and nothing written", (_, out) => {
    const run = inTmpfs(`mkdir "$M/p" && mount -o remount,ro "$M" || exit 99\n$CS torch@1.9.0 --out "$M/${out}" 2>&1; echo "exit $?"; find "$M" | wc -l`, "256k");
    if (run === null) return notice();
    expect(run).toContain("error[write-failed]: Could not write ");
    expect(run).toMatch(/\(EROFS\); nothing was changed\./);
    expect(run).toContain("hint: The file system is mounted read-only: choose an --out on a writable one.");
    expect(run).toMatch(/^exit 1$/m);
    expect(run.trim().split("\n").at(-1)).toBe("2");
  });
});

describe("an error at every step of a write", () => {
  const oldCopy = generation(OLD);
  const newCopy = generation(NEW);

  it.each(["ENOSPC"])("%s: rolled back with no litter, or (after the commit) complete", async (code) => {
    const fresh = contents(newCopy());
    const trials: { n: number; dir: string; before: Record<string, string>; r: Outcome; after: Record<string, string> }[] = [];
    for (let from = 1; !trials.some((t) => t.r.code === 0); from += 8) {
      trials.push(
        ...(await inParallel(Array.from({ length: 8 }, (_, i) => from + i), 2, async (n) => {
          const dir = oldCopy();
          const before = tree(dir);
          const r = await runAsync([...NEW, "--out", dir], { CUDA_SCAFFOLD_FAULT: `${n}:${code}` });
          return { n, dir, before, r, after: tree(dir) };
        })),
      );
      if (from > 400) throw new Error("the fault hook never let a run finish");
    }
    const failed = trials.filter((t) => t.r.code !== 0);
    expect(failed.length).toBeGreaterThanOrEqual(10);
    for (const t of trials) {
      const at = `error at step ${t.n}: ${t.r.stderr}`;
      if (t.r.code === 0) {
        expect(contents(t.dir), at).toEqual(fresh);
        continue;
      }
      expect(t.r.code, at).toBe(1);
      expect(t.r.stderr, at).toContain("nothing was changed");
      expect(t.r.stderr, at).toContain(code);
      expect(t.after, at).toEqual(t.before);
      expect(litter(t.dir), at).toEqual([]);
      rmSync(t.dir, { recursive: true, force: true });
    }
  }, 120_000);
});
