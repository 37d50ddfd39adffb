// `nvcc --version`: "Cuda compilation tools, release 13.0, V13.0.88" → "13.0.88".
import { commandNotFound } from "./text-values.js";

export interface NvccReport {
  version?: string;
  error?: string;
}

export function parseNvcc(text: string): NvccReport {
  const m = /Cuda compilation tools, release (\d+\.\d+), V(\d+\.\d+(?:\.\d+)?)/.exec(text);
  if (m) return { version: m[2]! };
  return commandNotFound(text, "nvcc") ? { error: "nvcc: command not found" } : {};
}
