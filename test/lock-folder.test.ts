// Break-it finding 6: a folder where cuda-scaffold.lock.json belongs. A spec with --force recovers
// (the folder is moved aside, never deleted); without --force the run is refused and writes nothing.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tempDir } from "./support/cli.js";

describe("a folder in the lock's place", () => {
  const setup = () => {
    const dir = tempDir();
    mkdirSync(join(dir, "cuda-scaffold.lock.json"));
    writeFileSync(join(dir, "cuda-scaffold.lock.json", "keep.txt"), "mine");
    return dir;
  };
  it("a spec with --force moves it aside and writes the lock", () => {
    const dir = setup();
    const r = cli(["torch@1.9.0", "--force", "--out", dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("cuda-scaffold.lock.json was a folder; it was moved to cuda-scaffold.lock.json.folder-");
    expect(statSync(join(dir, "cuda-scaffold.lock.json")).isFile()).toBe(true);
    const aside = readdirSync(dir).find((f) => f.startsWith("cuda-scaffold.lock.json.folder-"))!;
    expect(existsSync(join(dir, aside, "keep.txt"))).toBe(true);
    expect(cli(["check", "--out", dir]).code).toBe(0);
  });
  it("without --force it is refused and nothing is written", () => {
    const dir = setup();
    const r = cli(["torch@1.9.0", "--out", dir]);
    expect(r.code).toBe(1);
    expect(readdirSync(dir)).toEqual(["cuda-scaffold.lock.json"]);
  });
});
