// --out paths the system cannot follow (break-it round 3, N4 and N7): one clear error naming the
// folder and what to do, exit 1, no stack trace (exit 70 before) and nothing written.
import { describe, expect, it } from "vitest";
import { readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, tempDir } from "./support/cli.js";

const TRACE = /\n\s+at .+:\d+:\d+/;

describe("--out that cannot be used", () => {
  const work = tempDir("cs-out-");
  symlinkSync("loop-b", join(work, "loop-a"));
  symlinkSync("loop-a", join(work, "loop-b"));
  writeFileSync(join(work, "a-file"), "");
  const cases: [string, string, RegExp, RegExp][] = [
    ["a loop of links", "loop-a", /loops through symbolic links \(ELOOP\)/, /Follow the links/],
    ["a name too long", "x".repeat(300), /longer than the system allows \(ENAMETOOLONG\)/, /shorter --out/],
    ["a file in the path", "a-file/out", /a part of its path is a file, not a folder \(ENOTDIR\)/, /Move that file aside/],
  ];
  it.each(cases)("%s: render and check each say so, exit 1, nothing written", (_, out, message, hint) => {
    const before = readdirSync(work).sort();
    for (const args of [["torch@1.9.0", "--out", out], ["check", "--out", out]]) {
      const r = cli(args, work);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(hint);
      expect(r.stderr).not.toMatch(TRACE);
    }
    expect(readdirSync(work).sort()).toEqual(before);
  });

  it("a file where the output's own folder belongs is named, with a hint for it", () => {
    const out = join(work, "project");
    expect(cli(["torch@1.9.0", "--out", out]).code).toBe(0);
    rmSync(join(out, "host"), { recursive: true });
    writeFileSync(join(out, "host"), "");
    const r = cli(["torch@2.5.1", "--out", out, "--force"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/host\/bootstrap-oraclelinux\.sh \(ENOTDIR\); nothing was changed/);
    expect(r.stderr).toMatch(/move that file aside/);
  });
});
