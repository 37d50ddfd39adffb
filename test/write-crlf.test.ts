// Finding 11 of the break-it round: a checkout with CRLF line endings (git core.autocrlf) is not
// "edited by hand". Files are compared with line endings normalised; a file that uses CRLF is
// written back in CRLF; the lock's hashes stay over the LF content.
import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FILES, contents, generation, run } from "./support/write-tree.js";

const OLD = ["torch@1.9.0", "--name", "demo"];
const NEW = ["torch@1.9.0", "--name", "demo", "--python", "3.8"];
const oldCopy = generation(OLD);
const newCopy = generation(NEW);

const crlf = (s: string) => s.replace(/\r?\n/g, "\r\n");

/** An older generation as git checks it out with core.autocrlf=true. */
function crlfCheckout(only = FILES): string {
  const dir = oldCopy();
  for (const f of only) writeFileSync(join(dir, f), crlf(readFileSync(join(dir, f), "utf8")));
  return dir;
}

function states(dir: string): { code: number | null; states: Record<string, string> } {
  const r = run(["check", "--out", dir, "--json"]);
  return { code: r.code, states: Object.fromEntries((JSON.parse(r.stdout) as { files: { path: string; state: string }[] }).files.map((f) => [f.path, f.state])) };
}

describe("a CRLF checkout", () => {
  it("passes check", () => {
    const dir = crlfCheckout();
    const r = states(dir);
    expect(r.states).toEqual(Object.fromEntries(FILES.map((f) => [f, "up to date"])));
    expect(r.code).toBe(0);
  });

  it("is unchanged when regenerated with the same request, and keeps its bytes", () => {
    const dir = crlfCheckout();
    const before = contents(dir);
    const r = run([...OLD, "--out", dir]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of FILES) expect(r.stdout).toMatch(new RegExp(`unchanged\\s+${f.replace(/\./g, "\\.")}`));
    expect(contents(dir)).toEqual(before);
    expect(run(["--out", dir]).code).toBe(0);
  });

  it.each([
    ["every file in CRLF", FILES],
    ["only the Dockerfile in CRLF", ["Dockerfile"]],
  ])("%s: an update is written back with each file's own line endings; the lock hashes the LF content", (_name, only) => {
    const dir = crlfCheckout(only);
    const r = run([...NEW, "--out", dir]);
    expect(r.code, r.stderr).toBe(0);
    const lf = contents(newCopy());
    const now = contents(dir);
    for (const f of FILES) expect(now[f], f).toBe(only.includes(f) ? crlf(lf[f]!) : lf[f]);
    const lock = JSON.parse(now["cuda-scaffold.lock.json"]!) as { files: Record<string, string> };
    expect(lock.files).toEqual((JSON.parse(lf["cuda-scaffold.lock.json"]!) as { files: unknown }).files);
    expect(states(dir).code).toBe(0);
  });

  it("still tells a hand edit in CRLF from a line-ending change", () => {
    const dir = crlfCheckout();
    const path = join(dir, "docker-compose.yml");
    writeFileSync(path, readFileSync(path, "utf8").replace('shm_size: "8gb"', 'shm_size: "16gb"'));
    const r = states(dir);
    expect(r.code).toBe(2);
    expect(r.states["docker-compose.yml"]).toBe("edited by hand");
    expect(r.states["Dockerfile"]).toBe("up to date");
    const refused = run([...NEW, "--out", dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("docker-compose.yml");
    const diff = run(["check", "--out", dir]).stdout;
    expect(diff).toMatch(/^-\s+shm_size: "16gb"$/m);
    expect(diff).not.toContain("\r");
  });
});
