// Smaller output defects (break-it 2026-12, finding 15): --dry-run ends as the real run would,
// errors name the option the user typed (`auto`, `--host-from`), and lists are de-duplicated and
// capped, in what is accepted and in what is printed.
import { describe, expect, it } from "vitest";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, tempDir } from "./support/cli.js";
import { ROOT } from "./support/shared.js";

const LOCK = "cuda-scaffold.lock.json";
const HOST = join(ROOT, "fixtures/hosts/multi-gpu");

function generated(): string {
  const dir = tempDir("cs-msg-");
  const r = cli(["torch@1.9.0", "--out", dir, "--name", "demo"]);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

describe("--dry-run exits as the real run would", () => {
  it("2 when a hand edit would block the write, with the plan printed and nothing written", () => {
    const dir = generated();
    const path = join(dir, "Dockerfile");
    const edited = readFileSync(path, "utf8").replace('CMD ["gpu-check"]', 'CMD ["python", "train.py"]');
    writeFileSync(path, edited);
    const dry = cli(["torch@1.10", "--out", dir, "--name", "demo", "--dry-run"]);
    const real = cli(["torch@1.10", "--out", dir, "--name", "demo"]);
    expect(real.code).toBe(2);
    expect(dry.code).toBe(real.code);
    expect(dry.stdout).toContain("dry run: nothing written");
    expect(dry.stderr).toContain("error[edited-file]");
    expect(readFileSync(path, "utf8")).toBe(edited);
  });

  it("0 when the real run would write", () => {
    const dir = generated();
    expect(cli(["torch@1.10", "--out", dir, "--name", "demo", "--dry-run"]).code).toBe(0);
    expect(cli(["torch@1.10", "--out", dir, "--name", "demo", "--dry-run", "--force"]).code).toBe(0);
  });
});

describe("errors name the option the user typed", () => {
  it("--host-from without auto is refused, not silently ignored", () => {
    const r = cli(["resolve", "torch", "--host-from", HOST]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--host-from is read only with --gpu auto or --driver auto");
  });

  it("--host-from that is not a folder names --host-from", () => {
    const r = cli(["resolve", "torch", "--gpu", "auto", "--host-from", join(tempDir("cs-msg-"), "nonexistent")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[invalid-value\]: --host-from \S+nonexistent: not a folder/);
  });

  it("--driver auto with a driver the tool cannot use names auto and the value found", () => {
    const dir = join(tempDir("cs-msg-"), "host");
    mkdirSync(dir);
    writeFileSync(join(dir, "query-gpu.csv"), "index, name, driver_version, compute_cap\n0, NVIDIA A100, 99.1, 8.0\n");
    const r = cli(["resolve", "torch", "--driver", "auto", "--host-from", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--driver auto: the driver this host reports (99.1)");
    expect(r.stderr).not.toContain('--driver "99.1"');
  });
});

describe("lists are de-duplicated and capped", () => {
  it("--gpu a100,A100, a100 targets one GPU, and the lock records it once", () => {
    const dir = tempDir("cs-msg-");
    const r = cli(["torch@2.5.1", "--gpu", "a100,A100, a100", "--out", dir, "--name", "demo"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, LOCK), "utf8")).request.gpu).toEqual(["a100"]);
  });

  it("a --gpu list of more than 64 GPUs is refused in one line", () => {
    const list = Array.from({ length: 100 }, (_, i) => `gpu${i}`).join(",");
    const r = cli(["resolve", "torch", "--gpu", list]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--gpu lists 100 different GPUs; at most 64");
    expect(r.stderr.split("\n").length).toBeLessThan(5);
  });

  it("the same problem is printed once", () => {
    const r = cli(["resolve", ...Array(50).fill("torch@1.9.0")]);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/asked for twice/g)).toHaveLength(1);
  });

  it("at most 20 problems are printed, then how many more", () => {
    const r = cli(["resolve", ...Array.from({ length: 30 }, (_, i) => `nosuch${i}`)]);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/^error\[/gm)).toHaveLength(20);
    expect(r.stderr).toContain("… and 10 more problems.");
  });

  it("a lock with 100,000 specs is refused in one paragraph", () => {
    const dir = generated();
    const path = join(dir, LOCK);
    const lock = JSON.parse(readFileSync(path, "utf8"));
    lock.request.specs = Array(100_000).fill({ name: "torch", range: "1.9.0" });
    writeFileSync(path, JSON.stringify(lock));
    const r = cli(["check", "--out", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error[no-lock]");
    expect(r.stderr.length).toBeLessThan(2000);
  });
});
