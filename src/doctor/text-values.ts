// Small value helpers shared by the parsers: what counts as "no value", and the shapes of the
// values nvidia-smi prints.

const NO_VALUE = /^(|n\/a|\[n\/a\]|not supported|\[not supported\]|unknown error|\[unknown error\]|none)$/i;

/** The longest value kept from a capture (a GPU name is under 64 characters). */
export const MAX_VALUE_LENGTH = 256;

/** Trimmed value, or undefined for nvidia-smi's placeholders ("N/A", "[Not Supported]", …);
 *  a value longer than MAX_VALUE_LENGTH is cut there. */
export function clean(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (v === undefined || NO_VALUE.test(v)) return undefined;
  return capValue(v);
}

/** A value cut to MAX_VALUE_LENGTH characters. */
export const capValue = (v: string): string => (v.length > MAX_VALUE_LENGTH ? `${v.slice(0, MAX_VALUE_LENGTH)}…` : v);

/** The most entries kept from a list in a capture (GPUs, runtimes, CDI devices): real hosts have a handful. */
export const MAX_LIST_LENGTH = 64;

export const isDriverVersion = (v: string): boolean => /^\d{2,4}\.\d{1,3}(\.\d{1,3})?$/.test(v);
export const isCudaVersion = (v: string): boolean => /^\d{1,2}\.\d{1,2}$/.test(v);
export const isComputeCap = (v: string): boolean => /^\d{1,2}\.\d$/.test(v);
export const isBusId = (v: string): boolean => /^[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i.test(v);
export const isGpuUuid = (v: string): boolean => /^(GPU|MIG)-[0-9a-f-]+$/i.test(v);

/** "143771 MiB", "143771", "80 GiB" → MiB; undefined for anything else. */
export function parseMiB(value: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(MiB|GiB)?$/i.exec(clean(value) ?? "");
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2]?.toLowerCase() === "gib" ? Math.round(n * 1024) : Math.round(n);
}

/** A comparable key for a PCI bus id: "00000000:00:06.0" and "0000:00:06.0" give the same key. */
export function busKey(busId: string): string {
  const [domain = "", ...rest] = busId.toLowerCase().split(":");
  return `${parseInt(domain, 16) || 0}:${rest.join(":")}`;
}

export const lines = (text: string): string[] => text.split(/\r?\n/);

/** The first line that is not blank, trimmed. */
export const firstLine = (text: string): string => lines(text).find((l) => l.trim() !== "")?.trim() ?? "";

/** Shell messages that say a command is not installed ("bash: docker: command not found",
 *  Ubuntu's "Command 'docker' not found, but can be installed with:"). */
export function commandNotFound(text: string, command: string): boolean {
  const c = command.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|\\s|:)${c}: (command )?not found|Command '${c}' not found|${c}: No such file or directory`, "m").test(text);
}
