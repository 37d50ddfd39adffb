// Per-source probe status: ok when the probe ran, its output was not an error message, and the
// parser recognised something in it.
import { PROBE_SOURCES, type RawHost } from "./raw-host.js";
import type { Parsed } from "./parse-raw.js";
import type { ProbeStatus } from "./types.js";

const NOTHING = "nothing recognisable in the output";

function parserError(result: object | undefined): string | undefined {
  if (!result) return undefined;
  const r = result as { error?: unknown; installed?: unknown };
  if (typeof r.error === "string") return r.error;
  return r.installed === false ? "not installed" : undefined;
}

export function probeStatuses(raw: RawHost, parsed: Parsed): ProbeStatus[] {
  const statuses: ProbeStatus[] = [];
  for (const source of PROBE_SOURCES) {
    const out = raw.outputs[source];
    if (!out) continue;
    const result = parsed[source];
    const error = parserError(result);
    const empty = result === undefined || Object.keys(result).length === 0;
    const reason = out.reason ?? error ?? (empty ? NOTHING : undefined);
    statuses.push(reason === undefined ? { source, ok: true } : { source, ok: false, reason });
  }
  return statuses;
}
