// Test-only fault injection for the write path, used by test/write-crash and test/write-disk-full:
// CUDA_SCAFFOLD_FAULT=<n> SIGKILLs this process at the n-th step of a write, and
// CUDA_SCAFFOLD_FAULT=<n>:<CODE> throws that errno error (EIO, ENOSPC, …) there instead.
// Unset, as it always is outside those tests, it does nothing.
import { writeSync } from "node:fs";

let steps = 0;

export function faultPoint(step: string): void {
  const spec = process.env.CUDA_SCAFFOLD_FAULT;
  if (!spec) return;
  const [at, code] = spec.split(":");
  if (++steps !== Number(at)) return;
  writeSync(2, `fault injected at step ${steps}: ${step}${code ? ` (${code})` : ""}\n`);
  if (!code) process.kill(process.pid, "SIGKILL");
  throw Object.assign(new Error(`${code}: injected at ${step}`), { code });
}
