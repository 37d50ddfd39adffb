// The CLI writes its output with writeSync on descriptors 1 and 2 (src/cli.ts), not through
// process.stdout: these are the cases Node's streams used to handle for it.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { BIN, cli } from "./support/cli.js";

const env = { ...process.env, NO_COLOR: "1" };
const full = cli(["list", "--json"]);

describe("output", () => {
  it("is long enough to fill a pipe's buffer several times", () => {
    expect(full.code).toBe(0);
    expect(Buffer.byteLength(full.stdout)).toBeGreaterThan(3 * 65536);
  });

  it("reports a full disk once, exit 1", () => {
    const r = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" list --json > /dev/full`], { encoding: "utf8", env });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("cuda-scaffold: could not write its output (ENOSPC).\n");
  });

  it("ends quietly with its own exit code when the reader stops early", () => {
    const r = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" list --json | head -c 10 >/dev/null; echo "status $?"`], { encoding: "utf8", env });
    expect(r.stdout).toBe("status 0\n");
    expect(r.stderr).toBe("");
    // A failing command keeps its exit code when its messages' reader stops early.
    const failing = spawnSync("bash", ["-c", `"${process.execPath}" "${BIN}" resolve nosuchframework@1 2>&1 | head -c 5 >/dev/null; echo "status \${PIPESTATUS[0]}"`], { encoding: "utf8", env });
    expect(failing.stdout).toBe("status 1\n");
    expect(failing.stderr).toBe("");
  });

  it("waits on a non-blocking pipe whose reader is slow, and loses nothing", () => {
    // Python makes the pipe non-blocking (O_NONBLOCK on the writer's end), starts the CLI on it and
    // reads only after a pause: writes meanwhile meet a full pipe (EAGAIN).
    const script = [
      "import os, fcntl, subprocess, sys, time",
      "r, w = os.pipe()",
      "fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)",
      "p = subprocess.Popen(sys.argv[1:], stdout=w)",
      "os.close(w)",
      "time.sleep(0.5)",
      "data = b''",
      "while True:",
      "    chunk = os.read(r, 65536)",
      "    if not chunk: break",
      "    data += chunk",
      "sys.stdout.buffer.write(data)",
      "sys.exit(p.wait())",
    ].join("\n");
    const r = spawnSync("python3", ["-c", script, process.execPath, BIN, "list", "--json"], { encoding: "utf8", env, maxBuffer: 64 << 20 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(full.stdout);
  });
});

// src/cli.ts gives Commander only the commands a run can use (all of them for help, or where a
// subcommand's name appears anywhere but first): what each run does must not depend on that.
describe("commands", () => {
  const SUBCOMMANDS = ["resolve", "explain", "list", "check", "doctor"];
  it.each([
    [["--help"], (r: ReturnType<typeof cli>) => SUBCOMMANDS.every((c) => new RegExp(`^  ${c}\\b`, "m").test(r.stdout)) && /--cuda <version\|range>/.test(r.stdout)],
    [["-h"], (r: ReturnType<typeof cli>) => SUBCOMMANDS.every((c) => new RegExp(`^  ${c}\\b`, "m").test(r.stdout))],
    [["resolve", "--help"], (r: ReturnType<typeof cli>) => r.stdout.startsWith("Usage: cuda-scaffold resolve") && /--cuda <version\|range>/.test(r.stdout) && !/^  doctor\b/m.test(r.stdout)],
    [["doctor", "--help"], (r: ReturnType<typeof cli>) => r.stdout.startsWith("Usage: cuda-scaffold doctor") && /--network/.test(r.stdout)],
    [["-V"], (r: ReturnType<typeof cli>) => /^\d+\.\d+\.\d+\n$/.test(r.stdout)],
    [["torch@1.9.0", "--version"], (r: ReturnType<typeof cli>) => /^\d+\.\d+\.\d+\n$/.test(r.stdout)],
    // A program option before a subcommand is the program's: the subcommand runs without it.
    [["--json", "resolve", "torch@1.9.0"], (r: ReturnType<typeof cli>) => r.code === 0 && r.stdout.startsWith("torch@1.9.0:\n")],
    [["resolve", "--jsn", "torch@1.9.0"], (r: ReturnType<typeof cli>) => r.code === 1 && r.stderr.includes("unknown option '--jsn'") && r.stderr.includes("--json")],
    [["--jsn", "torch@1.9.0"], (r: ReturnType<typeof cli>) => r.code === 1 && r.stderr.includes("unknown option '--jsn'") && r.stderr.includes("--json")],
    [["list", "--json", "--bogus"], (r: ReturnType<typeof cli>) => r.code === 1 && r.stderr.includes("unknown option '--bogus'")],
  ])("%j", (args, ok) => {
    const r = cli(args);
    expect(ok(r), `${r.code}\n${r.stdout}\n${r.stderr}`).toBe(true);
  });
});
