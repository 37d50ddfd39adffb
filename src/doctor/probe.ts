// Gathers the raw outputs the doctor inspects: from this host's tools, or from a folder of
// saved outputs (`--from <dir>`).
import type { RawHost } from "./raw-host.js";
import { probeDir } from "./probe-dir.js";
import { probeLive } from "./probe-live.js";

export const DEFAULT_TIMEOUT_MS = 5000;

export interface ProbeOptions {
  /** Read saved outputs from this folder instead of running anything. */
  from?: string;
  /** The option that named `from`, for messages (default --from; the main command's is --host-from). */
  fromOption?: string;
  /** Deadline for each tool, in milliseconds (they run in parallel). */
  timeoutMs?: number;
  /** Environment for the tools (PATH decides which ones are found); default process.env. */
  env?: NodeJS.ProcessEnv;
}

export function probeHost(opts: ProbeOptions = {}): Promise<RawHost> {
  if (opts.from !== undefined) return probeDir(opts.from, opts.fromOption);
  const run: { timeoutMs: number; env?: NodeJS.ProcessEnv } = { timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  if (opts.env) run.env = opts.env;
  return probeLive(run);
}
