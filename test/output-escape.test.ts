// Terminal control sequences from captures, locks and paths are shown, never obeyed (break-it
// 2026-12, finding 13): a GPU name holding ESC [ 2J prints as the visible text \x1b[2J, and a
// newline in a value cannot forge a line of the report.
import { describe, expect, it } from "vitest";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { printable, terminalSafe } from "../src/terminal-text.js";
import { cli, tempDir } from "./support/cli.js";
import { ROOT } from "./support/shared.js";

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe("terminalSafe and printable", () => {
  it.each<[string, string, string]>([
    ["ESC [ 2J", "a\u001b[2Jb", "a\\x1b[2Jb"],
    ["an OSC title with BEL", "\u001b]0;owned\u0007", "\\x1b]0;owned\\x07"],
    ["a carriage return", "ok\rFAKE", "ok\\x0dFAKE"],
    ["C1 CSI", "a\u009b2Jb", "a\\u009b2Jb"],
    ["DEL", "a\u007fb", "a\\u007fb"],
    ["a bidi override", "a\u202eb", "a\\u202eb"],
    ["a line separator", "a\u2028b", "a\\u2028b"],
    ["plain text, tabs and newlines", "gpu\tA100\nnext · sm_80 …", "gpu\tA100\nnext · sm_80 …"],
  ])("terminalSafe: %s", (_what, input, want) => {
    expect(terminalSafe(input)).toBe(want);
  });

  it("printable escapes newlines and tabs too, and cuts long values", () => {
    expect(printable("a\nb\tc")).toBe("a\\x0ab\\x09c");
    expect(printable("x".repeat(300), 10)).toBe(`${"x".repeat(10)}…`);
  });

  it("keeps JSON valid: what it escapes inside a JSON string reads back as the same value", () => {
    const value = { name: "a\u009bb\u2028c\u007f\u001b" };
    expect(JSON.parse(terminalSafe(JSON.stringify(value)))).toEqual(value);
  });
});

/** The multi-gpu capture with a hostile GPU name, OS name and Docker version. */
function hostileCapture(): string {
  const src = join(ROOT, "fixtures/hosts/multi-gpu");
  const dir = join(tempDir("cs-esc-"), "host");
  mkdirSync(dir);
  for (const f of readdirSync(src)) copyFileSync(join(src, f), join(dir, f));
  const xml = join(dir, "nvidia-smi-q.xml");
  writeFileSync(xml, readFileSync(xml, "utf8").replace(/<product_name>[^<]*<\/product_name>/g, "<product_name>NVIDIA A100&#x1b;[2J&#10;gpu      FORGED&#x9b;31m</product_name>"));
  writeFileSync(join(dir, "os-release"), 'ID=ubuntu\nVERSION_ID="22.04"\nPRETTY_NAME="Ubuntu\u001b]0;owned\u0007\u001b[31m"\n');
  const docker = join(dir, "docker-info.json");
  writeFileSync(docker, readFileSync(docker, "utf8").replace(/"ServerVersion":\s*"[^"]*"/, '"ServerVersion":"28\\u001b[2J"'));
  return dir;
}

describe("doctor shows hostile capture values escaped", () => {
  it("as a report", () => {
    const r = cli(["doctor", "--from", hostileCapture()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain("\\x1b[2J\\x0agpu      FORGED\\u009b31m");
    expect(r.stdout).toContain("Ubuntu\\x1b]0;owned\\x07\\x1b[31m");
    expect(r.stdout).toContain("28\\x1b[2J");
    expect(r.stdout).not.toMatch(/^gpu\s+FORGED/m);
  });

  it("as JSON that still parses to the values", () => {
    const r = cli(["doctor", "--from", hostileCapture(), "--json"]);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    const out = JSON.parse(r.stdout) as { gpus: { name: string }[]; os: { prettyName: string } };
    expect(out.gpus[0]!.name).toBe("NVIDIA A100\u001b[2J\ngpu      FORGED\u009b31m");
    expect(out.os.prettyName).toBe("Ubuntu\u001b]0;owned\u0007\u001b[31m");
  });
});

describe("locks and paths with control sequences", () => {
  it("a lock field with ESC [ 2J is refused, and shown escaped", () => {
    const dir = tempDir("cs-esc-");
    expect(cli(["torch@1.9.0", "--out", dir, "--name", "demo"]).code).toBe(0);
    const path = join(dir, "cuda-scaffold.lock.json");
    const lock = JSON.parse(readFileSync(path, "utf8"));
    lock.tool.version = "\u001b]0;owned\u0007\u001b[2J\u001b[31mFAKE";
    writeFileSync(path, JSON.stringify(lock));
    for (const args of [["check"], []]) {
      const r = cli([...args, "--out", dir]);
      expect(r.code).toBe(1);
      expect(r.stderr + r.stdout).not.toMatch(RAW_CONTROL);
      expect(r.stderr).toContain("\\u001b[2J");
    }
  });

  it("an --out path with ESC [ 2J is echoed escaped", () => {
    const r = cli(["check", "--out", join(tempDir("cs-esc-"), "x\u001b[2Jy")]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toContain("x\\x1b[2Jy");
  });
});
