// Finding 9, the read side: a file that another process renames away (or replaces) between the
// writer's lstat and its read is "missing" or a clear refusal, never a crash. node:fs is wrapped so
// that the lstat of one chosen path removes or replaces that path right after it answers.
import { describe, expect, it, vi } from "vitest";
import { join } from "node:path";

const race = vi.hoisted(() => ({ path: "", then: "" as "" | "remove" | "folder", fired: false }));

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const lstatSync = ((path: string, opts?: never) => {
    const st = fs.lstatSync(path, opts);
    if (race.then && String(path) === race.path) {
      fs.rmSync(path);
      if (race.then === "folder") fs.mkdirSync(path);
      race.then = "";
      race.fired = true;
    }
    return st;
  }) as typeof fs.lstatSync;
  return { ...fs, default: { ...fs, lstatSync }, lstatSync };
});

const { writeFileSync, mkdtempSync } = await import("node:fs");
const { tmpdir } = await import("node:os");
const { planWrites } = await import("../src/write/plan-writes.js");
const { UserError } = await import("../src/errors.js");

const files = [{ path: "Dockerfile", content: "FROM scratch\n", mode: 0o644 }];

function folderWithDockerfile(): string {
  const dir = mkdtempSync(join(tmpdir(), "cs-race-"));
  writeFileSync(join(dir, "Dockerfile"), "FROM old\n");
  return dir;
}

describe("a file that changes between lstat and read", () => {
  it("is missing when it was renamed away", () => {
    const dir = folderWithDockerfile();
    Object.assign(race, { path: join(dir, "Dockerfile"), then: "remove", fired: false });
    const [change] = planWrites(dir, files, {});
    expect(race.fired).toBe(true);
    expect(change!.kind).toBe("create");
    expect(change!.current).toBeNull();
  });

  it("is refused, not a crash, when a folder took its place", () => {
    const dir = folderWithDockerfile();
    Object.assign(race, { path: join(dir, "Dockerfile"), then: "folder", fired: false });
    let error: unknown;
    try {
      planWrites(dir, files, {});
    } catch (e) {
      error = e;
    }
    expect(race.fired).toBe(true);
    expect(error).toBeInstanceOf(UserError);
  });
});
