// `cuda-scaffold check`: each drift state, the locked image's lifecycle, and --json.
import { describe, expect, it } from "vitest";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, tempDir } from "./support/cli.js";
import { HASH_MARK, fileHash, sealContent } from "../src/render/header.js";

function generated(): string {
  const dir = tempDir();
  const r = cli(["torch@1.9.0", "--out", dir, "--name", "demo"]);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

/** Rewrites the lock file, as a user or an older tool version might have left it. */
function editLock(dir: string, edit: (lock: any) => void): void {
  const path = join(dir, "cuda-scaffold.lock.json");
  const lock = JSON.parse(readFileSync(path, "utf8"));
  edit(lock);
  writeFileSync(path, JSON.stringify(lock, null, 2) + "\n");
}

function states(dir: string): Record<string, string> {
  const r = cli(["check", "--out", dir, "--json"]);
  const out = JSON.parse(r.stdout) as { files: { path: string; state: string }[] };
  return Object.fromEntries(out.files.map((f) => [f.path, f.state]));
}

describe("check", () => {
  it("passes on freshly generated files", () => {
    const dir = generated();
    const r = cli(["check", "--out", dir]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain("everything is up to date");
  });

  it("reports a hand edit with a diff and exits 2", () => {
    const dir = generated();
    const path = join(dir, "Dockerfile");
    writeFileSync(path, readFileSync(path, "utf8").replace('CMD ["gpu-check"]', 'CMD ["python", "train.py"]'));
    const r = cli(["check", "--out", dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/edited by hand\s+Dockerfile/);
    expect(r.stdout).toContain('-CMD ["python", "train.py"]');
    expect(r.stdout).toContain('+CMD ["gpu-check"]');
  });

  it("reports a missing file", () => {
    const dir = generated();
    rmSync(join(dir, "docker-compose.yml"));
    expect(states(dir)["docker-compose.yml"]).toBe("missing");
  });

  // break-it r2 §15: check (which only reads) stopped at the first link with "Refusing to write …", exit 1.
  it.each([
    ["a symbolic link", (dir: string) => symlinkSync("/etc/hostname", join(dir, "docker-compose.yml")), "it is a symbolic link, and the tool never reads or writes through links"],
    ["a folder", (dir: string) => mkdirSync(join(dir, "docker-compose.yml")), "it exists and is not a regular file"],
    ["a linked parent folder leading outside", (dir: string) => { rmSync(join(dir, "host"), { recursive: true }); symlinkSync(tempDir(), join(dir, "host")); }, "outside"],
  ] as const)("reports %s as unsafe, checks the other files, and exits 2", (_, make, reason) => {
    const dir = generated();
    const path = join(dir, "docker-compose.yml");
    rmSync(path);
    make(dir);
    const r = cli(["check", "--out", dir, "--json"]);
    expect(r.code, r.stderr).toBe(2);
    const files = (JSON.parse(r.stdout) as { files: { path: string; state: string; reason?: string }[] }).files;
    const unsafe = files.filter((f) => f.state === "unsafe");
    expect(unsafe.length).toBeGreaterThan(0);
    expect(unsafe.map((f) => f.reason).join(" ")).toContain(reason);
    expect(files.filter((f) => f.state === "up to date").length).toBeGreaterThan(0);
    const text = cli(["check", "--out", dir]);
    expect(text.stdout).toMatch(/^ {2}unsafe +\S+ \(.*; regenerating refuses it too\)$/m);
    expect(text.stdout + text.stderr).not.toContain("Refusing to write");
  });

  it("reports a file the tool did not write", () => {
    const dir = generated();
    editLock(dir, (lock) => delete lock.files["docker-compose.yml"]);
    writeFileSync(join(dir, "docker-compose.yml"), "services: {}\n");
    expect(states(dir)["docker-compose.yml"]).toBe("not ours");
  });

  it("reports a stale file: written by the tool, but the tool now renders it differently", () => {
    const dir = generated();
    // What an older tool version would have left: a sealed file with other content, recorded in the lock.
    const path = join(dir, "Dockerfile");
    const old = readFileSync(path, "utf8").replace("# Build targets:", "# Targets:");
    const resealed = sealContent(old.replace(/cuda-scaffold-sha256:[0-9a-f]{64}/, HASH_MARK));
    writeFileSync(path, resealed);
    editLock(dir, (lock) => (lock.files.Dockerfile = fileHash(resealed)));
    const s = states(dir);
    expect(s.Dockerfile).toBe("stale");
    expect(s["cuda-scaffold.lock.json"]).toBe("stale");
  });

  it("fails without a lock file, with exit 1 and what to do", () => {
    const r = cli(["check", "--out", tempDir()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("No cuda-scaffold.lock.json");
  });

  it("flags a locked base image that is end-of-life in the data", () => {
    const dir = generated();
    editLock(dir, (lock) => (lock.resolution.image = "nvidia/cuda:10.2-runtime-ubuntu18.04"));
    const r = cli(["check", "--out", dir, "--json"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).image.problem).toContain("deleted");
  });
});

describe("check and the base image's lifecycle", () => {
  it("passes, with a note, when the image was already end-of-life at generation", () => {
    const dir = tempDir();
    expect(cli(["torch@1.9.0", "--gpu", "a100", "--out", dir, "--name", "demo"]).code).toBe(0);
    const r = cli(["check", "--out", dir, "--json"]);
    const out = JSON.parse(r.stdout);
    expect(out.image.lockedStatus).toBe("eol");
    expect(out.image.note).toContain("already end-of-life");
    expect(r.code).toBe(0);
  });

  it("fails when a tag that was supported is now end-of-life", () => {
    const dir = tempDir();
    expect(cli(["torch@1.9.0", "--gpu", "a100", "--out", dir, "--name", "demo"]).code).toBe(0);
    editLock(dir, (lock) => (lock.resolution.imageStatus = "supported"));
    const r = cli(["check", "--out", dir, "--json"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).image.problem).toContain("now end-of-life");
  });
});
