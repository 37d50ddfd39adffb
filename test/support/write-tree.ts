// Helpers for the write-path tests: run the built CLI with extra environment (synchronously or
// not), snapshot a whole output folder including hidden files, and find the writer's temp files.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, lstatSync } from "node:fs";
import { join } from "node:path";
import { BIN, tempDir } from "./cli.js";
import { ROOT } from "./shared.js";
import { UserError } from "../../src/errors.js";
import { check as checkCommand } from "../../src/commands/check.js";

export const FILES = ["Dockerfile", "docker-compose.yml", ".devcontainer/devcontainer.json", "host/bootstrap-oraclelinux.sh", "cuda-scaffold.lock.json"];

export interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const envWith = (extra: Record<string, string>) => ({ ...process.env, NO_COLOR: "1", ...extra });

export function run(args: string[], extra: Record<string, string> = {}): Outcome {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: envWith(extra) });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function runAsync(args: string[], extra: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: envWith(extra) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** `check --out DIR --json` in this process: the command the CLI runs, without a Node start per call. */
export function checkNow(out: string): Outcome {
  let stdout = "";
  try {
    const code = checkCommand({ out, json: true }, (s) => {
      stdout += s;
    });
    return { code, signal: null, stdout, stderr: "" };
  } catch (err) {
    if (err instanceof UserError) return { code: err.exitCode, signal: null, stdout, stderr: err.message };
    throw err;
  }
}

/** Every entry under `dir` (hidden ones too): "mode:content" for files, "->target" for links, "/" for folders. */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[r] = "->link";
      else if (st.isDirectory()) {
        out[r] = "/";
        walk(p, r);
      } else if (!st.isFile()) out[r] = "special";
      else out[r] = `${(st.mode & 0o777).toString(8)}:${readFileSync(p, "utf8")}`;
    }
  };
  walk(dir, "");
  return out;
}

/** The generated files' contents only. */
export function contents(dir: string): Record<string, string> {
  return Object.fromEntries(FILES.map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

/** Entries that are neither a generated file nor one of its folders: temp files, backups, run locks. */
export function litter(dir: string): string[] {
  return Object.keys(tree(dir)).filter((p) => !FILES.includes(p) && p !== "host" && p !== ".devcontainer");
}

/** A folder generated once by `args`, copied afresh for each use. */
export function generation(args: string[]): () => string {
  const master = tempDir("cs-gen-");
  const r = run([...args, "--out", master]);
  if (r.code !== 0) throw new Error(`generation failed: ${r.stderr}`);
  return () => {
    const dir = tempDir("cs-copy-");
    cpSync(master, dir, { recursive: true });
    return dir;
  };
}

/** Runs `task` over `items`, at most `width` at a time, keeping the order of results. */
export async function inParallel<T, R>(items: T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}
