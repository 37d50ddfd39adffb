// The lock file as input (break-it 2026-12, findings 6, 7, 8 and 14): every malformed, foreign or
// hostile lock is one clear `no-lock` error (exit 1, a message and a hint, never a stack trace or
// a hang); wrong-typed fields are errors, not dropped pins; a spec with --force always recovers.
import { describe, expect, it } from "vitest";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { UserError, type Problem } from "../src/errors.js";
import { parseLock, readLock } from "../src/write/lock-file.js";
import { generate } from "../src/commands/generate.js";
import { check } from "../src/commands/check.js";
import { BIN, cli, tempDir } from "./support/cli.js";
import { ROOT } from "./support/shared.js";

const LOCK = "cuda-scaffold.lock.json";
const GOOD = readFileSync(join(ROOT, "fixtures/golden/torch-1.9.0", LOCK), "utf8");
const TRACE = /\n\s+at .+:\d+:\d+/;
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** The golden torch-1.9.0 lock with one edit. */
function edited(edit: (lock: any) => void): string {
  const lock = JSON.parse(GOOD);
  edit(lock);
  return JSON.stringify(lock, null, 2);
}

function lockDir(content: string): string {
  const dir = tempDir("cs-lock-");
  writeFileSync(join(dir, LOCK), content);
  return dir;
}

/** The problem readLock refuses a lock with; fails the test on a crash or on acceptance. */
function refusal(dir: string): Problem {
  try {
    readLock(dir);
  } catch (err) {
    if (err instanceof UserError) return err.problems[0]!;
    throw err;
  }
  throw new Error("the lock was accepted");
}

const CONFLICT = `<<<<<<< HEAD\n${GOOD}=======\n${GOOD}>>>>>>> theirs\n`;

// [what, lock content, text the message must contain]
const malformed: [string, string, string][] = [
  ["null", "null", "its content is null; expected an object"],
  ["a list", "[null]", "expected an object"],
  ["a string", '"x"', "expected an object"],
  ["an empty object", "{}", "lockfileVersion is missing"],
  ["not JSON", "{broken", "is not valid JSON"],
  ["merge-conflict markers", CONFLICT, "merge-conflict markers"],
  ["a BOM before broken JSON", `\uFEFF{broken`, "is not valid JSON"],
  ["an unknown lockfileVersion", '{"lockfileVersion":2}', "lockfileVersion 2"],
  ["another tool's lock", '{"name":"x","lockfileVersion":3,"packages":{}}', "does not say that cuda-scaffold wrote it"],
  ["lockfileVersion as a string", edited((l) => (l.lockfileVersion = "1")), "lockfileVersion is the string \"1\"; expected 1"],
  ["tool missing", edited((l) => delete l.tool), "tool is missing"],
  ["tool null", edited((l) => (l.tool = null)), "tool is null"],
  ["another tool's name", edited((l) => (l.tool.name = "other")), 'tool.name is the string "other"'],
  ["resolution missing", edited((l) => delete l.resolution), "resolution is missing"],
  ["resolution null", edited((l) => (l.resolution = null)), "resolution is null"],
  ["resolution.frameworks a string", edited((l) => (l.resolution.frameworks = "x")), "resolution.frameworks is the string \"x\"; expected a list"],
  ["resolution.frameworks [null]", edited((l) => (l.resolution.frameworks = [null])), "resolution.frameworks[0] is null"],
  ["request null", edited((l) => (l.request = null)), "request is null"],
  ["request.specs [null]", edited((l) => (l.request.specs = [null])), "request.specs[0] is null"],
  ["request.specs empty", edited((l) => (l.request.specs = [])), "request.specs has 0 entries; at least 1"],
  ["a spec name as a number", edited((l) => (l.request.specs = [{ name: 1 }])), "request.specs[0].name is a number (1)"],
  ["files null", edited((l) => (l.files = null)), "files is null"],
  ["request.cuda: 11", edited((l) => (l.request.cuda = 11)), "request.cuda is a number (11); expected a string or null"],
  ["request.python: 3.10", edited((l) => (l.request.python = 3.1)), "request.python is a number (3.1)"],
  ["request.driver: 470.57", edited((l) => (l.request.driver = 470.57)), "request.driver is a number (470.57)"],
  ["request.gpus: 2", edited((l) => (l.request.gpus = 2)), "request.gpus is a number (2)"],
  ["request.variant: 1", edited((l) => (l.request.variant = 1)), "request.variant is a number (1)"],
  ["request.name: 123", edited((l) => (l.request.name = 123)), "request.name is a number (123)"],
  ["request.gpu: \"a100\"", edited((l) => (l.request.gpu = "a100")), 'request.gpu is the string "a100"; expected a list'],
  ["request.gpu: [80]", edited((l) => (l.request.gpu = [80])), "request.gpu[0] is a number (80)"],
  ["an unknown request field", edited((l) => (l.request.runtime = "crun")), "request.runtime is not a field this version knows"],
  ["17 specs", edited((l) => (l.request.specs = Array(17).fill({ name: "torch", range: null }))), "request.specs has 17 entries; at most 16"],
  ["65 GPUs", edited((l) => (l.request.gpu = Array.from({ length: 65 }, (_, i) => `sm_${i}`))), "request.gpu has 65 entries; at most 64"],
  ["a tool version with terminal controls", edited((l) => (l.tool.version = "\u001b]0;owned\u0007\u001b[2J\u009b31mFAKE")), "tool.version"],
  ["an image with terminal controls and a newline", edited((l) => (l.resolution.image = "nvidia/cuda:10.2-\u001b[2J\nx-ubuntu18.04")), "resolution.image"],
];

describe("a malformed lock is one clear no-lock error", () => {
  it.each(malformed)("%s", (_what, content, text) => {
    const p = refusal(lockDir(content));
    expect(p.code).toBe("no-lock");
    expect(p.message).toContain(text);
    expect(p.message).not.toMatch(CONTROL);
    expect(p.hint).toMatch(/--force/);
  });

  it("reads a lock saved with a UTF-8 byte order mark", () => {
    expect(readLock(lockDir(`\uFEFF${GOOD}`))?.request.specs).toEqual([{ name: "torch", range: "1.9.0" }]);
  });

  it("reads the same GPU twice as once", () => {
    expect(readLock(lockDir(edited((l) => (l.request.gpu = ["a100", "a100"]))))?.request.gpu).toEqual(["a100"]);
  });

  it("says where a lock is a folder", () => {
    const dir = tempDir("cs-lock-");
    mkdirSync(join(dir, LOCK));
    expect(refusal(dir).message).toContain("is a folder");
  });

  it("does not read a lock through a symbolic link", () => {
    const dir = lockDir(GOOD);
    symlinkSync(join(dir, LOCK), join(dir, "other-name.json"));
    const linked = tempDir("cs-lock-");
    symlinkSync(join(dir, LOCK), join(linked, LOCK));
    expect(refusal(linked).message).toContain("is a symbolic link");
  });

  it("does not read a lock larger than 1 MiB", () => {
    const dir = lockDir(GOOD.replace("{", `{${" ".repeat(1024 * 1024)}`));
    expect(refusal(dir).message).toContain("is larger than 1 MiB");
  });
});

// Finding 7's crashing shapes, through the commands in-process: a UserError, never a TypeError.
const crashing = malformed.filter(([what]) =>
  ["null", "tool missing", "tool null", "resolution missing", "resolution null", "resolution.frameworks a string", "resolution.frameworks [null]", "request.specs [null]"].includes(what),
);

describe("the commands refuse a malformed lock instead of crashing", () => {
  const thrown = (run: () => unknown): unknown => {
    try {
      run();
    } catch (err) {
      return err;
    }
    return undefined;
  };

  it.each(crashing)("%s", (_what, content) => {
    for (const run of [() => generate([], { out: lockDir(content) }, () => {}), () => check({ out: lockDir(content) }, () => {})]) {
      const err = thrown(run);
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).problems[0]!.code).toBe("no-lock");
    }
  });

  it("parseLock and readLock agree", () => {
    for (const [, content] of malformed) expect("problem" in parseLock(content)).toBe(true);
    expect("lock" in parseLock(GOOD)).toBe(true);
  });
});

describe("the CLI on a malformed lock", () => {
  it.each(crashing.slice(0, 4))("%s: check and the default command exit 1 with no-lock and no trace", (_what, content) => {
    for (const args of [["check"], []]) {
      const dir = lockDir(content);
      const r = cli([...args, "--out", dir]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain("error[no-lock]");
      expect(r.stderr).toContain("hint:");
      expect(r.stderr).not.toMatch(TRACE);
    }
  });

  it.each<[string, string]>([
    ["merge-conflict markers", CONFLICT],
    ["a BOM before broken JSON", "\uFEFF{broken"],
    ["an unknown lockfileVersion", '{"lockfileVersion":2}'],
    ["null", "null"],
    ["a wrong-typed pin", edited((l) => (l.request.cuda = 11))],
  ])("a spec with --force recovers from %s", (_what, content) => {
    const dir = lockDir(content);
    const r = cli(["torch@1.9.0", "--out", dir, "--name", "demo", "--force"]);
    expect(r.code, r.stderr).toBe(0);
    expect(readLock(dir)?.request.specs).toEqual([{ name: "torch", range: "1.9.0" }]);
    expect(cli(["check", "--out", dir]).code).toBe(0);
  });

  it("a spec without --force is refused with the hint to add it", () => {
    const r = cli(["torch@1.9.0", "--out", lockDir("{broken"), "--name", "demo"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[no-lock]");
    expect(r.stderr).toContain("--force");
  });

  it("a folder in place of the lock: check refuses clearly, never a trace; a spec with --force moves it aside (lock-folder.test.ts)", () => {
    const dir = tempDir("cs-lock-");
    mkdirSync(join(dir, LOCK));
    const checked = cli(["check", "--out", dir]);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain("is a folder");
    expect(checked.stderr).not.toMatch(TRACE);
    const forced = cli(["torch@1.9.0", "--out", dir, "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).not.toMatch(TRACE);
  });
});

/** Runs the CLI with a deadline, for inputs that used to hang. */
function cliWithin(args: string[], ms: number) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: ms, killSignal: "SIGKILL" });
  return { code: r.status, stderr: r.stderr, ms: Date.now() - started };
}

describe.skipIf(process.platform === "win32")("a lock that is not a regular file is never read", () => {
  it("a FIFO: refused at once, not waited on", () => {
    const dir = tempDir("cs-lock-");
    spawnSync("mkfifo", [join(dir, LOCK)]);
    const r = cliWithin(["check", "--out", dir], 15_000);
    expect(r.code, `${r.ms} ms`).toBe(1);
    expect(r.stderr).toContain("is a FIFO");
  });

  it("a link to /dev/zero: refused at once, nothing read", () => {
    const dir = tempDir("cs-lock-");
    symlinkSync("/dev/zero", join(dir, LOCK));
    const r = cliWithin(["check", "--out", dir], 15_000);
    expect(r.code, `${r.ms} ms`).toBe(1);
    expect(r.stderr).toContain("is a symbolic link");
  });
});

describe("a lock an editor saved with a byte-order mark (break-it round 3, N5)", () => {
  it("check calls it stale and a regeneration replaces it, where the two had disagreed", () => {
    const dir = tempDir("cs-lock-");
    expect(cli(["torch@1.9.0", "--out", dir]).code).toBe(0);
    const lock = join(dir, LOCK);
    writeFileSync(lock, `\uFEFF${readFileSync(lock, "utf8")}`);
    const checked = cli(["check", "--out", dir]);
    expect(checked.code).toBe(2);
    expect(checked.stdout).toMatch(/stale\s+cuda-scaffold\.lock\.json/);
    const again = cli(["--out", dir]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/update\s+cuda-scaffold\.lock\.json/);
    expect(readFileSync(lock, "utf8").startsWith("{")).toBe(true);
    expect(cli(["check", "--out", dir]).code).toBe(0);
  });
});
