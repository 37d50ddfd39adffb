// `cuda-scaffold doctor --network`: can this machine reach every endpoint the generated files fetch
// from (or, with --mirror, the mirrors instead)? Each probe is bounded by --timeout and they run
// at once, so the whole check takes about one timeout. When some do not answer, it says which
// mirrors would help.
import { matrix, type Matrix } from "../matrix/data.js";
import { UserError } from "../errors.js";
import { parseMirror, presetNames } from "./parse-mirror.js";
import { readMirrorArg } from "./read-mirror-arg.js";
import { mirrorSet, type MirrorSet } from "./mirror-set.js";
import { probe, type ProbeResult } from "./probe.js";
import type { Endpoint } from "../matrix/types.gen.js";

export interface NetworkOptions {
  mirror?: string;
  allowInsecureMirror?: boolean;
  timeout?: string;
  json?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 5000;

function timeoutOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  const ms = /^[0-9]{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(ms >= 100 && ms <= 60000)) {
    throw new UserError([{ code: "invalid-value", message: `--timeout ${JSON.stringify(value.slice(0, 20))} is not a number of milliseconds from 100 to 60000.`, hint: "For example --timeout 3000." }]);
  }
  return ms;
}

/** What doctor requests for an endpoint: its own probe URL, or the mirror's root (a registry's /v2/). */
export function probeUrl(e: Endpoint, ms: MirrorSet, insecure: boolean): string {
  if (!ms.mirrored(e.id)) return e.probe;
  const value = ms.value(e.id);
  if (e.kind === "registry") return `${insecure ? "http" : "https"}://${value.split("/")[0]}/v2/`;
  return `${value}/`;
}

export interface EndpointReport extends ProbeResult {
  id: string;
  what: string;
  mirrored: boolean;
}

export async function checkNetwork(m: Matrix, ms: MirrorSet, timeoutMs: number, insecure: boolean): Promise<EndpointReport[]> {
  const targets = m.mirrors.endpoints.map((e) => ({ e, url: probeUrl(e, ms, insecure) }));
  const registryMirrors = (ms.choice?.registryMirrors ?? []).map((url) => ({ id: "registry-mirror", what: "a Docker Hub mirror for the host's daemon.json", url: `${url}/v2/` }));
  const all = [...targets.map(({ e, url }) => ({ id: e.id, what: e.what, url, mirrored: ms.mirrored(e.id) })), ...registryMirrors.map((r) => ({ ...r, mirrored: true }))];
  const results = await Promise.all(all.map((t) => probe(t.url, timeoutMs)));
  return all.map((t, i) => ({ ...results[i]!, id: t.id, what: t.what, mirrored: t.mirrored }));
}

function advice(m: Matrix, failed: EndpointReport[], ms: MirrorSet): string[] {
  if (!failed.length) return [];
  const lines = [`${failed.length} endpoint${failed.length === 1 ? "" : "s"} did not answer: ${failed.map((f) => f.id).join(", ")}.`];
  if (!ms.choice) {
    const presets = presetNames(m);
    const covered = (name: string) => failed.filter((f) => m.mirrors.presets[name]!.mirrors[f.id as Endpoint["id"]] && "url" in m.mirrors.presets[name]!.mirrors[f.id as Endpoint["id"]]!).map((f) => f.id);
    for (const name of presets) {
      const ids = covered(name);
      if (ids.length) lines.push(`  hint: --mirror ${name} (${m.mirrors.presets[name]!.description}) has mirrors for ${ids.join(", ")}: check them with \`cuda-scaffold doctor --network --mirror ${name}\`, then generate with \`cuda-scaffold <spec> --mirror ${name}\`.`);
    }
    lines.push("  hint: for private mirrors (Harbor, Nexus, Artifactory), write a mirror file and pass --mirror ./mirrors.yaml (README, \"Restricted networks\").");
  } else {
    lines.push(`  hint: these are the mirrors of --mirror ${ms.choice.source}; override the ones that fail in a mirror file (extends: ${ms.choice.kind === "preset" ? ms.choice.source : "cn"}, endpoints: …), see the README ("Restricted networks").`);
  }
  return lines;
}

export async function networkCheck(opts: NetworkOptions, print: (s: string) => void): Promise<number> {
  const timeoutMs = timeoutOf(opts.timeout);
  const problems: import("../errors.js").Problem[] = [];
  const choice = parseMirror(opts.mirror === undefined ? undefined : readMirrorArg(opts.mirror), opts.allowInsecureMirror === true, matrix, problems);
  if (problems.length) throw new UserError(problems);
  const ms = mirrorSet(matrix, choice);
  const reports = await checkNetwork(matrix, ms, timeoutMs, opts.allowInsecureMirror === true);
  const failed = reports.filter((r) => r.state !== "answers");
  if (opts.json) {
    print(JSON.stringify({ ok: failed.length === 0, timeoutMs, mirror: choice ? { kind: choice.kind, source: choice.source } : null, endpoints: reports }, null, 2));
    return 0;
  }
  print(reportLines(matrix, reports, ms, timeoutMs).join("\n"));
  return 0;
}

/** The human report: one line per endpoint, then what did not answer and which mirrors would help. */
export function reportLines(m: Matrix, reports: EndpointReport[], ms: MirrorSet, timeoutMs: number): string[] {
  const width = Math.max(...reports.map((r) => r.id.length));
  const urlWidth = Math.min(60, Math.max(...reports.map((r) => r.url.length)));
  const lines = [`network  ${ms.choice ? `the mirrors of --mirror ${ms.choice.source}, and the public hosts it has none for` : "the public hosts"} (each within ${timeoutMs} ms)`];
  for (const r of reports) {
    const state = r.state === "answers" ? `answers (HTTP ${r.status}, ${r.ms} ms)` : r.detail ?? r.state;
    lines.push(`  ${r.state === "answers" ? "✔" : "✘"} ${r.id.padEnd(width)}  ${r.url.padEnd(urlWidth)}  ${state}`);
  }
  const failed = reports.filter((r) => r.state !== "answers");
  lines.push("", ...(failed.length ? advice(m, failed, ms) : ["every endpoint answered."]));
  return lines;
}
