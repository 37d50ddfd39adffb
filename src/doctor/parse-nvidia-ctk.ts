// `nvidia-ctk --version`: "NVIDIA Container Toolkit CLI version 1.17.8".
import { commandNotFound } from "./text-values.js";

export interface NvidiaCtkReport {
  installed?: boolean;
  version?: string;
}

export function parseNvidiaCtk(text: string): NvidiaCtkReport {
  const m = /NVIDIA Container Toolkit CLI version\s+v?(\d+\.\d+\.\d+[\w.~+-]*)/i.exec(text);
  if (m) return { installed: true, version: m[1]! };
  return commandNotFound(text, "nvidia-ctk") ? { installed: false } : {};
}
