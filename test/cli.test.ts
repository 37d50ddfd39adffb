import { describe, expect, it } from "vitest";
import { rmSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync, symlinkSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { cli, tempDir } from "./support/cli.js";

const FILES = ["Dockerfile", "docker-compose.yml", ".devcontainer/devcontainer.json", "host/bootstrap-oraclelinux.sh", "cuda-scaffold.lock.json"];

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p, r);
      else out[r] = `${(statSync(p).mode & 0o777).toString(8)}:${readFileSync(p, "utf8")}`;
    }
  };
  walk(dir, "");
  return out;
}

describe("cuda-scaffold torch@1.9.0", () => {
  it("writes the five files, then a second run changes nothing", () => {
    const dir = tempDir();
    const first = cli(["torch@1.9.0", "--out", dir, "--name", "demo"]);
    expect(first.code, first.stderr).toBe(0);
    for (const f of FILES) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(statSync(join(dir, "host/bootstrap-oraclelinux.sh")).mode & 0o111).not.toBe(0);
    expect(first.stdout).toContain("torch 1.9.0+cu102");
    expect(first.stdout).toContain("base-image-deleted");
    const before = snapshot(dir);
    const second = cli(["torch@1.9.0", "--out", dir, "--name", "demo"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Everything was up to date.");
    expect(snapshot(dir)).toEqual(before);
  });

  it("gives identical bytes in two folders", () => {
    const a = tempDir();
    const b = tempDir();
    cli(["torch@1.9.0", "--out", a, "--name", "same"]);
    cli(["torch@1.9.0", "--out", b, "--name", "same"]);
    expect(snapshot(a)).toEqual(snapshot(b));
  });

  it("names the project after the folder by default, made safe", () => {
    const dir = join(tempDir(), "My Project!");
    mkdirSync(dir);
    expect(cli(["torch@1.9.0", "--out", dir]).code).toBe(0);
    expect(readFileSync(join(dir, "docker-compose.yml"), "utf8")).toContain('name: "my-project"');
  });

  it("--dry-run prints the diff and writes nothing", () => {
    const dir = tempDir();
    const r = cli(["torch@1.9.0", "--out", dir, "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("+++ b/Dockerfile");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("--json prints one object with the resolution and the file actions", () => {
    const dir = tempDir();
    const r = cli(["torch@1.9.0", "--out", dir, "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.cuda).toBe("10.2");
    expect(out.files.map((f: { path: string }) => f.path).sort()).toEqual([...FILES].sort());
  });
});

describe("hand edits are protected", () => {
  it("refuses with exit 2, keeps the edit, and --force restores the generated file", () => {
    const dir = tempDir();
    cli(["torch@1.9.0", "--out", dir, "--name", "demo"]);
    const path = join(dir, "docker-compose.yml");
    const generated = readFileSync(path, "utf8");
    const edited = generated.replace('shm_size: "8gb"', 'shm_size: "16gb"');
    writeFileSync(path, edited);
    const refused = cli(["torch@1.9.0", "--out", dir, "--name", "demo"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("docker-compose.yml");
    expect(refused.stderr).toContain("--force");
    expect(readFileSync(path, "utf8")).toBe(edited);
    const forced = cli(["torch@1.9.0", "--out", dir, "--name", "demo", "--force"]);
    expect(forced.code).toBe(0);
    expect(readFileSync(path, "utf8")).toBe(generated);
  });

  it("updates files it wrote itself when the request changes", () => {
    const dir = tempDir();
    cli(["torch@1.9.0", "--out", dir, "--name", "demo"]);
    const r = cli(["torch@1.9.0", "--out", dir, "--name", "demo", "--python", "3.8"]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toContain("--python 3.8");
  });

  it("regenerates from the lock file when no spec is given", () => {
    const dir = tempDir();
    cli(["torch@1.9.0", "--out", dir, "--name", "demo"]);
    const before = snapshot(dir);
    const r = cli(["--out", dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Regenerating from cuda-scaffold.lock.json");
    expect(snapshot(dir)).toEqual(before);
  });

  it("never writes through a symbolic link", () => {
    const dir = tempDir();
    const outside = tempDir();
    symlinkSync(join(outside, "target"), join(dir, "Dockerfile"));
    const r = cli(["torch@1.9.0", "--out", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("symbolic link");
    expect(readdirSync(outside)).toEqual([]);
  });

  it("leaves the tree exactly as it was when one file cannot be written", () => {
    const dir = tempDir();
    cli(["torch@1.9.0", "--out", dir, "--name", "demo"]);
    rmSync(join(dir, "host"), { recursive: true });
    rmSync(join(dir, ".devcontainer"), { recursive: true });
    writeFileSync(join(dir, "host"), "a file where the tool needs a folder\n");
    const before = snapshot(dir);
    // Dockerfile and compose would be updated, .devcontainer/ created, then host/… fails.
    const r = cli(["torch@1.9.0", "--out", dir, "--name", "demo", "--python", "3.8"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("nothing was changed");
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(join(dir, ".devcontainer"))).toBe(false);
  });
});

describe("exit codes", () => {
  it.each([
    [["pytroch@1.9.0"], 1, "did you mean `torch`"],
    [["torch@0.1.0"], 1, "no GPU release matching"],
    [["torch@1.9.0", "--frobnicate"], 1, "unknown option"],
    [["resolve", "torch@1.9.0", "--driver", "418.39"], 1, "440.33"],
  ])("%j exits %i", (args, code, text) => {
    const r = cli(args as string[], tempDir());
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(text);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it("--version prints the version", () => {
    const r = cli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("resolve --json", () => {
  it("follows the SPEC contract for torch@1.9.0", () => {
    const r = cli(["resolve", "torch@1.9.0", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.frameworks[0]).toMatchObject({ name: "torch", version: "1.9.0" });
    expect(res.frameworks[0].packages[0]).toEqual({ name: "torch", version: "1.9.0+cu102" });
    expect(res.cuda).toBe("10.2");
    expect(["3.6", "3.7", "3.8", "3.9"]).toContain(res.python);
    expect(res.minDriver).toBe("440.33");
    expect(res.image).not.toMatch(/^nvidia\/cuda:10\./);
    expect(res.warnings.map((w: { code: string }) => w.code)).toContain("base-image-deleted");
  });

  // The closing hint names the compose client that honours the engine's GPU requests.
  it.each([
    { args: [], up: "next: docker compose up -d dev" },
    { args: ["--engine", "podman"], up: "next: podman-compose up -d dev" },
  ])("the next step after writing fits the engine: $args", ({ args, up }) => {
    const r = cli(["torch@2.9.0", "--out", tempDir(), ...args]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(up);
    expect(r.stdout.match(/compose up/g)).toHaveLength(1);
  });

  // SPEC §7: resolve --json gains platform and engine (the lock keeps both in its request instead).
  it.each([
    { args: [], platform: "linux/amd64", engine: "docker" },
    { args: ["--engine", "podman"], platform: "linux/amd64", engine: "podman" },
    { args: ["--platform", "linux/arm64"], platform: "linux/arm64", engine: "docker" },
    { args: ["--gpu", "gh200", "--engine", "podman"], platform: "linux/arm64", engine: "podman" },
  ])("names the platform and the engine: $args", ({ args, platform, engine }) => {
    for (const command of [["resolve", "torch@2.9.0"], ["torch@2.9.0", "--out", tempDir(), "--dry-run"]]) {
      const r = cli([...command, ...args, "--json"]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ platform, engine });
    }
  });
});
