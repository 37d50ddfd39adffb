// Saved captures are read as bounded regular files (break-it 2026-12, finding 8): a FIFO, a
// device, a link to one or an oversized file in a --from / --host-from folder is refused with a
// clear error before a byte of it is read, instead of hanging or filling memory.
import { describe, expect, it } from "vitest";
import { copyFileSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { UserError } from "../src/errors.js";
import { probeHost } from "../src/doctor/probe.js";
import { MAX_CAPTURE_BYTES } from "../src/doctor/raw-host.js";
import { formatBytes, readRegularFile } from "../src/read-regular-file.js";
import { BIN, tempDir } from "./support/cli.js";
import { ROOT } from "./support/shared.js";

const HOST = join(ROOT, "fixtures/hosts/multi-gpu");
const TRACE = /\n\s+at .+:\d+:\d+/;

/** A copy of the multi-gpu capture with one file replaced by `make(path)`. */
function captureWith(name: string, make: (path: string) => void): string {
  const dir = join(tempDir("cs-capture-"), "host");
  mkdirSync(dir);
  for (const f of readdirSync(HOST)) if (f !== name) copyFileSync(join(HOST, f), join(dir, f));
  make(join(dir, name));
  return dir;
}

function cliWithin(args: string[], ms = 20_000) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: ms, killSignal: "SIGKILL" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const fifo = (path: string) => void spawnSync("mkfifo", [path]);

// [capture file, how it is made, what the message says]
const hostile: [string, string, (path: string) => void, string][] = [
  ["os-release", "a FIFO", fifo, "os-release is a FIFO"],
  ["nvidia-smi-q.xml", "a link to /dev/zero", (p) => symlinkSync("/dev/zero", p), "nvidia-smi-q.xml is a device"],
  ["query-gpu.csv", "a link to /dev/urandom", (p) => symlinkSync("/dev/urandom", p), "query-gpu.csv is a device"],
  ["nvidia-smi.txt", "larger than the cap", (p) => writeFileSync(p, "x".repeat(MAX_CAPTURE_BYTES + 1)), `nvidia-smi.txt is larger than ${formatBytes(MAX_CAPTURE_BYTES)}`],
];

describe.skipIf(process.platform === "win32")("a capture file that is not a small regular file is refused", () => {
  it.each(hostile)("%s as %s: doctor --from", (name, _how, make, text) => {
    const dir = captureWith(name, make);
    const r = cliWithin(["doctor", "--from", dir]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("error[invalid-value]: --from");
    expect(r.stderr).toContain(text);
    expect(r.stderr).not.toMatch(TRACE);
  });

  it.each(hostile)("%s as %s: --gpu auto --host-from names --host-from", (name, _how, make, text) => {
    const dir = captureWith(name, make);
    const r = cliWithin(["resolve", "torch", "--gpu", "auto", "--host-from", dir]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("--host-from");
    expect(r.stderr).not.toContain("--from ");
    expect(r.stderr).toContain(text);
  });

  it("in-process: probeHost refuses before reading", async () => {
    const dir = captureWith("os-release", fifo);
    await expect(probeHost({ from: dir })).rejects.toBeInstanceOf(UserError);
  });

  it("a link to a regular capture file is still read", async () => {
    const dir = captureWith("query-gpu.csv", (p) => symlinkSync(join(HOST, "query-gpu.csv"), p));
    const raw = await probeHost({ from: dir });
    expect(raw.outputs["nvidia-smi-csv"]?.ok).toBe(true);
  });
});

describe.skipIf(process.platform === "win32")("readRegularFile", () => {
  const dir = tempDir("cs-read-");
  writeFileSync(join(dir, "small"), "hello");
  symlinkSync(join(dir, "small"), join(dir, "link"));
  fifo(join(dir, "fifo"));

  it.each<[string, { maxBytes: number; followLinks: boolean }, object]>([
    ["small", { maxBytes: 5, followLinks: false }, { ok: true, text: "hello" }],
    ["small", { maxBytes: 4, followLinks: false }, { ok: false, kind: "too-large" }],
    ["link", { maxBytes: 10, followLinks: true }, { ok: true, text: "hello" }],
    ["link", { maxBytes: 10, followLinks: false }, { ok: false, kind: "link" }],
    ["fifo", { maxBytes: 10, followLinks: true }, { ok: false, kind: "special" }],
    ["absent", { maxBytes: 10, followLinks: true }, { ok: false, kind: "absent" }],
    [".", { maxBytes: 10, followLinks: true }, { ok: false, kind: "folder" }],
  ])("%s %j", (name, opts, want) => {
    expect(readRegularFile(join(dir, name), opts)).toMatchObject(want);
  });

  it("caps what it reads from a file that reports size 0 (/proc)", () => {
    expect(readRegularFile("/proc/self/status", { maxBytes: 10, followLinks: true })).toMatchObject({ ok: false, kind: "too-large" });
    expect(readRegularFile("/proc/self/status", { maxBytes: 1 << 20, followLinks: true })).toMatchObject({ ok: true });
  });
});
