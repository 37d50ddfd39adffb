// nvidia-smi's own failure messages. Every nvidia-smi parser checks for them first, so a saved
// output that is an error message is reported as one rather than as "no data".
import { commandNotFound, lines } from "./text-values.js";

const FAILURES: RegExp[] = [
  /^No devices were found/i,
  /NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver/i,
  /^Failed to initialize NVML/i,
  /^Field ".*" is not a valid field to query/i,
  /^Unable to determine the device handle/i,
  /^Invalid combination of input arguments/i,
];

export interface NvsmiFailure {
  error: string;
  /** The message says there are no GPUs (as opposed to "could not tell"). */
  noDevices: boolean;
}

export function nvsmiFailure(text: string): NvsmiFailure | undefined {
  if (commandNotFound(text, "nvidia-smi")) return { error: "nvidia-smi: command not found", noDevices: false };
  for (const line of lines(text).map((l) => l.trim())) {
    if (FAILURES.some((re) => re.test(line))) return { error: line, noDevices: /^No devices were found/i.test(line) };
  }
  return undefined;
}

/** The report an error message stands for: `gpus: []` only when it says there are none. */
export function failureReport(f: NvsmiFailure): { error: string; gpus?: [] } {
  return f.noDevices ? { error: f.error, gpus: [] } : { error: f.error };
}
