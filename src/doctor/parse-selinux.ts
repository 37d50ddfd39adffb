// SELinux: the mode, from `getenforce` ("Enforcing", "Permissive", "Disabled") or from
// /sys/fs/selinux/enforce ("1" enforcing, "0" permissive; absent when SELinux is disabled), and
// the container_use_devices boolean from `getsebool container_use_devices`
// ("container_use_devices --> on"). getsebool prints "getsebool:  SELinux is disabled" on a
// host without SELinux, and "Error getting active value for container_use_devices" where the
// policy has no such boolean (container-selinux not installed, or too old).
import type { SelinuxMode } from "./types.js";
import { commandNotFound, firstLine } from "./text-values.js";

export interface SelinuxModeReport {
  mode?: SelinuxMode;
  installed?: boolean;
}

export interface SebooleanReport {
  containerUseDevices?: boolean;
  /** getsebool says SELinux is disabled. */
  disabled?: boolean;
  error?: string;
}

export function parseGetenforce(text: string): SelinuxModeReport {
  const word = firstLine(text).toLowerCase();
  if (word === "enforcing" || word === "permissive" || word === "disabled") return { mode: word };
  return commandNotFound(text, "getenforce") ? { installed: false } : {};
}

export function parseSelinuxEnforce(text: string): SelinuxModeReport {
  const value = firstLine(text);
  return value === "1" ? { mode: "enforcing" } : value === "0" ? { mode: "permissive" } : {};
}

export function parseGetsebool(text: string): SebooleanReport {
  const m = /^container_use_devices\s+-->\s+(on|off)\s*$/m.exec(text);
  if (m) return { containerUseDevices: m[1] === "on" };
  if (/SELinux is disabled/.test(text)) return { disabled: true };
  if (/Error getting active value for container_use_devices/.test(text)) {
    return { error: "the SELinux policy has no container_use_devices boolean (container-selinux is missing or older)" };
  }
  return commandNotFound(text, "getsebool") ? { error: "getsebool: command not found" } : {};
}
