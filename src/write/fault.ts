// Test-only fault injection for the write path, used by test/write-crash, test/write-disk-full and
// test/write-swap. Each step of a write is a fault point, counted from 1.
//   CUDA_SCAFFOLD_FAULT=<n> SIGKILLs this process at the n-th step, and
//   CUDA_SCAFFOLD_FAULT=<n>:<CODE> throws that errno error (EIO, ENOSPC, …) there instead; <n> may
//   also be the start of a step's name ("folders synced"), for the first step so named.
//   CUDA_SCAFFOLD_SWAP=<n>:<folder>:<target> at the n-th step moves <folder> aside to <folder>.moved
//   (when it exists) and puts a symbolic link to <target> in its place: another process swapping a
//   folder for a link in the middle of a write.
// Unset, as they always are outside those tests, they do nothing.
import { existsSync, renameSync, symlinkSync, writeSync } from "node:fs";

let steps = 0;
let faulted = false;

export function faultPoint(step: string): void {
  const fault = process.env.CUDA_SCAFFOLD_FAULT;
  const swap = process.env.CUDA_SCAFFOLD_SWAP;
  if (!fault && !swap) return;
  steps++;
  if (swap) {
    const [at, folder, target] = swap.split(":");
    if (steps === Number(at) && folder && target) {
      if (existsSync(folder)) renameSync(folder, `${folder}.moved`);
      symlinkSync(target, folder);
      writeSync(2, `folder swapped at step ${steps}: ${step}\n`);
    }
  }
  if (!fault || faulted) return;
  const [at, code] = fault.split(":");
  if (!(steps === Number(at) || (Number.isNaN(Number(at)) && step.startsWith(at!)))) return;
  faulted = true;
  writeSync(2, `fault injected at step ${steps}: ${step}${code ? ` (${code})` : ""}\n`);
  if (!code) process.kill(process.pid, "SIGKILL");
  throw Object.assign(new Error(`${code}: injected at ${step}`), { code });
}
