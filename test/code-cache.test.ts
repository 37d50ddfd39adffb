// bin/cuda-scaffold.cjs (through bin/code-cache.cjs) keeps V8's code cache of the bundle in the
// user's cache folder, on every Node that computes CRC-32 (>= 20.15). Whatever state that cache is
// in, output and exit code are those of a run without it.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { BIN, tempDir } from "./support/cli.js";
import { SUBCOMMANDS } from "../src/commands/subcommands.js";

const usesCodeCache = typeof (await import("node:zlib")).crc32 === "function";

function run(args: string[], env: Record<string, string | undefined>) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CASES = [["--version"], ["resolve", "torch@1.9.0", "--json"], ["resolve", "nosuchframework@1"], ["list", "--json"]];

describe("the code cache", () => {
  it("changes nothing in output and exit code: absent, written, read, corrupt, unwritable", () => {
    const without = CASES.map((args) => run(args, { NODE_DISABLE_COMPILE_CACHE: "1" }));
    const cache = tempDir("cs-cache-");
    const dir = join(cache, "cuda-scaffold");
    const files = () => { try { return readdirSync(dir).filter((f) => f.endsWith(".v8cache")); } catch { return []; } };
    const same = (env: Record<string, string | undefined>) => CASES.forEach((args, i) => expect(run(args, env), args.join(" ")).toEqual(without[i]));

    same({ XDG_CACHE_HOME: cache }); // writes it
    if (usesCodeCache) expect(files()).toHaveLength(1);
    same({ XDG_CACHE_HOME: cache }); // reads it
    // With pending deprecations on, the CRC comes from the public node:zlib: no warning, same output.
    same({ XDG_CACHE_HOME: cache, NODE_PENDING_DEPRECATION: "1" });
    same({ XDG_CACHE_HOME: cache, NODE_OPTIONS: "--pending-deprecation" });
    if (usesCodeCache) {
      const [name] = files();
      const path = join(dir, name!);
      const good = readFileSync(path);
      for (const damage of [
        (b: Buffer) => { b.writeUInt8(b.readUInt8(b.length - 1000) ^ 0x55, b.length - 1000); return b; }, // payload (the CRC refuses it)
        (b: Buffer) => { b.writeUInt16LE(b.readUInt16LE(b.length >> 1) ^ 0xffff, b.length >> 1); b.writeUInt32LE(0, 1); return b; },
        (b: Buffer) => b.subarray(0, b.length >> 1), // truncated
        () => Buffer.from("not a cache"),
        () => Buffer.alloc(0),
      ]) {
        writeFileSync(path, damage(Buffer.from(good)));
        same({ XDG_CACHE_HOME: cache });
      }
    }
    // A cache folder that cannot be made: XDG_CACHE_HOME is a file, HOME is a file.
    const file = join(tempDir("cs-cache-"), "file");
    writeFileSync(file, "");
    same({ XDG_CACHE_HOME: file });
    same({ XDG_CACHE_HOME: undefined, HOME: file });
    same({ XDG_CACHE_HOME: "relative/ignored", HOME: file });
    // A folder where the cache's name is taken by a folder.
    const taken = tempDir("cs-cache-");
    mkdirSync(join(taken, "cuda-scaffold"), { recursive: true });
    if (usesCodeCache) for (const f of files()) mkdirSync(join(taken, "cuda-scaffold", f));
    same({ XDG_CACHE_HOME: taken });
  }, 60_000);

  it.runIf(usesCodeCache)("is written again only when a new kind of run loads a file, and then holds what each kind compiled", () => {
    const cache = tempDir("cs-cache-");
    const dir = join(cache, "cuda-scaffold");
    const out = tempDir();
    const state = () => { const [name] = readdirSync(dir).filter((f) => f.endsWith(".v8cache")); const st = statSync(join(dir, name!)); return `${st.ino}:${st.size}`; };
    const env = { XDG_CACHE_HOME: cache };
    expect(run(["torch@1.9.0", "--out", out], env).code).toBe(0);
    const afterRender = state();
    expect(run(["torch@1.9.0", "--out", out], env).code).toBe(0);
    expect(state(), "a second render").toBe(afterRender);
    expect(run(["check", "--out", out], env).code).toBe(0);
    const afterCheck = state();
    expect(afterCheck, "the first check").not.toBe(afterRender);
    expect(Number(afterCheck.split(":")[1])).toBeGreaterThan(Number(afterRender.split(":")[1]));
    expect(run(["check", "--out", out], env).code).toBe(0);
    expect(run(["torch@1.9.0", "--out", out], env).code).toBe(0);
    expect(state(), "a check and a render after both kinds ran").toBe(afterCheck);
    expect(run(["resolve", "torch@2.5.1"], env).code).toBe(0);
    expect(state(), "a resolve loads a file no resolve had loaded").not.toBe(afterCheck);
  }, 60_000);

  it("renders the same files with a cache as without", () => {
    const cache = tempDir("cs-cache-");
    const outs = [tempDir(), tempDir(), tempDir()];
    const runs = [run(["torch@1.9.0", "--out", outs[0]!, "--name", "demo"], { NODE_DISABLE_COMPILE_CACHE: "1" }), run(["torch@1.9.0", "--out", outs[1]!, "--name", "demo"], { XDG_CACHE_HOME: cache }), run(["torch@1.9.0", "--out", outs[2]!, "--name", "demo"], { XDG_CACHE_HOME: cache })];
    const norm = (s: string, out: string) => s.split(out).join("OUT");
    for (const [i, r] of runs.entries()) expect({ ...r, stdout: norm(r.stdout, outs[i]!) }).toEqual({ ...runs[0]!, stdout: norm(runs[0]!.stdout, outs[0]!) });
    const read = (d: string) => readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name), "utf8")).sort();
    expect(read(outs[1]!)).toEqual(read(outs[0]!));
    expect(read(outs[2]!)).toEqual(read(outs[0]!));
    const check = [run(["check", "--out", outs[0]!], { XDG_CACHE_HOME: cache }), run(["check", "--out", outs[0]!], { NODE_DISABLE_COMPILE_CACHE: "1" })];
    expect(check[0]).toEqual(check[1]);
  }, 60_000);
});

describe("the kinds of run the cache tells apart", () => {
  const { kindOf } = createRequire(import.meta.url)(join(dirname(BIN), "code-cache.cjs")) as { kindOf: (args: string[]) => number };
  it("gives every subcommand of the CLI its own kind, apart from help and from a render", () => {
    const kinds = SUBCOMMANDS.map((c) => kindOf([c, "--json"]));
    expect(new Set(kinds).size).toBe(SUBCOMMANDS.length);
    for (const other of [kindOf(["--version"]), kindOf(["--help"]), kindOf(["torch@1.9.0"]), kindOf(["torch@1.9.0", "--with", "k8s"]), kindOf(["--project", "."])]) expect(kinds).not.toContain(other);
    expect(new Set([kindOf(["torch@1.9.0"]), kindOf(["torch@1.9.0", "--with", "k8s"]), kindOf(["--project", "."]), kindOf(["-V"])]).size).toBe(4);
  });
});
