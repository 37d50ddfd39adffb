// A reader that closes the pipe early (break-it 2026-12, finding 12): `list --json | head` and
// `check | head` end quietly with the command's own exit code, no stack trace on stderr.
import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { BIN, cli, tempDir } from "./support/cli.js";

/** Runs `node BIN args | head -c 10` in bash; the CLI's exit code and stderr. */
function piped(args: string[]): { code: number; stderr: string; head: string } {
  const dir = tempDir("cs-pipe-");
  const err = join(dir, "stderr");
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const script = `"${process.execPath}" "${BIN}" ${quoted} 2>"${err}" | head -c 10; echo " \${PIPESTATUS[0]}"`;
  const r = spawnSync("bash", ["-c", script], { encoding: "utf8", timeout: 30_000 });
  const status = /(\d+)\s*$/.exec(r.stdout)?.[1];
  return { code: Number(status ?? -1), stderr: readFileSync(err, "utf8"), head: r.stdout.slice(0, 10) };
}

describe.skipIf(process.platform === "win32")("output into a pipe that closes early", () => {
  it("list --json | head: exit 0, nothing on stderr", () => {
    const r = piped(["list", "--json"]);
    expect(r.head).toBe("[\n  {\n    ");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("list | head: exit 0, nothing on stderr", () => {
    const r = piped(["list"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("check | head with a long diff: exit 2 (drift), nothing on stderr", () => {
    const dir = tempDir("cs-pipe-");
    expect(cli(["torch@1.9.0", "--out", dir, "--name", "demo"]).code).toBe(0);
    const path = join(dir, "Dockerfile");
    writeFileSync(path, readFileSync(path, "utf8") + "# hand edit\n".repeat(30_000));
    const r = piped(["check", "--out", dir]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(2);
  });
});
