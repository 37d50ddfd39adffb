// The JSON object in a tool's output, and the text around it (stderr, when a capture holds both):
// `docker info --format '{{json .}}'` and `podman info --format json` print one object.
import { capValue } from "./text-values.js";

export function jsonObject(text: string): { info: Record<string, unknown>; rest: string } | undefined {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end < start) return undefined;
  try {
    const v: unknown = JSON.parse(text.slice(start, end + 1));
    if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
    return { info: v as Record<string, unknown>, rest: text.slice(0, start) + text.slice(end + 1) };
  } catch {
    return undefined;
  }
}

/** The object at `key`, or an empty one. */
export const objectAt = (v: Record<string, unknown> | undefined, key: string): Record<string, unknown> => {
  const x = v?.[key];
  return x && typeof x === "object" && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
};

/** A non-empty string value, cut to MAX_VALUE_LENGTH; null for anything else. */
export const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? capValue(v) : null);
