// Runs one host tool with a hard deadline and never rejects: a missing tool, a non-zero exit, a
// tool that hangs (nvidia-smi can, on a wedged driver) all become `{ ok: false, reason }`.
// The tool runs in its own process group so that a timeout kills whatever it started too, and
// the promise settles at the deadline even if the process cannot be reaped (a task stuck in the
// kernel).
import { spawn, type ChildProcess } from "node:child_process";
import { MAX_CAPTURE_BYTES, type ProbeOutput } from "./raw-host.js";
import { firstLine } from "./text-values.js";

export interface RunToolOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** Keep stderr after stdout in `text` on success too (a tool that reports on stderr). */
  withStderr?: boolean;
}

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
  child.stdout?.destroy();
  child.stderr?.destroy();
  child.unref();
}

function spawnError(command: string, err: NodeJS.ErrnoException): ProbeOutput {
  if (err.code === "ENOENT") return { ok: false, text: "", reason: `${command}: not found on PATH`, absent: "tool" };
  return { ok: false, text: "", reason: `${command}: ${err.message}` };
}

export function runTool(command: string, args: string[], opts: RunToolOptions): Promise<ProbeOutput> {
  const label = [command, ...args].join(" ");
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (out: ProbeOutput) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(out);
    };
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        env: { ...(opts.env ?? process.env), LC_ALL: "C" },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
    } catch (err) {
      finish(spawnError(command, err as NodeJS.ErrnoException));
      return;
    }
    const abort = (reason: string) => {
      killGroup(child);
      finish({ ok: false, text: stdout, reason });
    };
    timer = setTimeout(() => abort(`${label}: timed out after ${opts.timeoutMs} ms`), opts.timeoutMs);
    const collect = (chunk: string, into: "out" | "err") => {
      if (into === "out") stdout += chunk;
      else stderr += chunk;
      if (stdout.length + stderr.length > MAX_CAPTURE_BYTES) abort(`${label}: output larger than ${MAX_CAPTURE_BYTES} bytes`);
    };
    child.stdout?.setEncoding("utf8").on("data", (c: string) => collect(c, "out"));
    child.stderr?.setEncoding("utf8").on("data", (c: string) => collect(c, "err"));
    child.on("error", (err) => finish(spawnError(command, err)));
    child.on("close", (code, signal) => {
      const text = [stdout, stderr].filter((s) => s !== "").join("\n");
      if (code === 0) return finish({ ok: true, text: opts.withStderr ? text : stdout });
      const why = firstLine(stderr) || firstLine(stdout) || "no output";
      finish({ ok: false, text, reason: `${label}: exited with ${code ?? signal}: ${why}` });
    });
  });
}
