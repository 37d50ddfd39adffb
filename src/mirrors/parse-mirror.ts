// --mirror <preset|file> (or a lock's recorded choice) -> a MirrorChoice. Every problem is collected
// like the request's others, so a refused mirror writes nothing.
import type { Matrix } from "../matrix/data.js";
import type { Endpoint } from "../matrix/types.gen.js";
import { suggest, type Problem } from "../errors.js";
import { parseMirrorFile } from "./mirror-file.js";
import { frontendProblem, mirrorValueProblem, normalizeMirror, urlProblem } from "./mirror-values.js";
import type { EndpointId, MirrorChoice, RawMirror } from "./types.js";
import { isSingleLine } from "../render/quote.js";

const PRESET_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export function presetNames(m: Matrix): string[] {
  return Object.keys(m.mirrors.presets);
}

function presetProblem(name: string, m: Matrix, where: string): Problem {
  const known = presetNames(m);
  const close = PRESET_NAME.test(name) ? suggest(name, known) : [];
  return {
    code: "invalid-value",
    message: `${where} ${JSON.stringify(name.slice(0, 40))} is not a mirror preset${close.length ? `: did you mean ${close.join(" or ")}?` : "."}`,
    alternatives: known,
    hint: `Known presets: ${known.join(", ")}. Or give a mirror file (a path to a .yaml file; see the README, "Restricted networks").`,
  };
}

/** A preset's choice, straight from the data. */
export function presetChoice(name: string, m: Matrix, allowInsecure: boolean): MirrorChoice {
  const preset = m.mirrors.presets[name]!;
  const endpoints: Partial<Record<EndpointId, string>> = {};
  for (const [id, entry] of Object.entries(preset.mirrors)) if ("url" in entry) endpoints[id as EndpointId] = normalizeMirror(entry.url);
  return { kind: "preset", source: name, endpoints, uv: preset.uv ?? "image", registryMirrors: (preset.registryMirrors ?? []).map((r) => normalizeMirror(r.url)), allowInsecure };
}

function endpoint(m: Matrix, id: EndpointId): Endpoint {
  return m.mirrors.endpoints.find((e) => e.id === id)!;
}

function fromFile(path: string, text: string, m: Matrix, allowInsecure: boolean, problems: Problem[]): MirrorChoice | undefined {
  const { entries, problems: found } = parseMirrorFile(path, text, m.mirrors.endpoints);
  const bad = (message: string) => found.push(message);
  let choice: MirrorChoice = { kind: "file", source: path, endpoints: {}, uv: "image", registryMirrors: [], allowInsecure };
  if (entries.extends) {
    if (m.mirrors.presets[entries.extends.name]) choice = { ...presetChoice(entries.extends.name, m, allowInsecure), kind: "file", source: path, extends: entries.extends.name };
    else bad(`${path}:${entries.extends.line}: extends: ${JSON.stringify(entries.extends.name)} is not a preset; the presets are ${presetNames(m).join(", ")}`);
  }
  for (const e of entries.endpoints) {
    if (e.value === "public") {
      delete choice.endpoints[e.id];
      continue;
    }
    const why = mirrorValueProblem(endpoint(m, e.id), e.value, allowInsecure);
    if (why) bad(`${path}:${e.line}: ${e.id}: ${JSON.stringify(e.value.slice(0, 60))} ${why}`);
    else choice.endpoints[e.id] = normalizeMirror(e.value);
  }
  if (entries.uv) choice.uv = entries.uv;
  if (entries.registryMirrors) {
    choice.registryMirrors = [];
    for (const r of entries.registryMirrors) {
      const why = urlProblem(r.value, allowInsecure);
      if (why) bad(`${path}:${r.line}: registry-mirrors: ${JSON.stringify(r.value.slice(0, 60))} ${why}`);
      else choice.registryMirrors.push(normalizeMirror(r.value));
    }
  }
  if (entries.dockerfileFrontend) {
    const why = frontendProblem(entries.dockerfileFrontend.value);
    if (why) bad(`${path}:${entries.dockerfileFrontend.line}: dockerfile-frontend: ${JSON.stringify(entries.dockerfileFrontend.value.slice(0, 60))} ${why}`);
    else choice.dockerfileFrontend = entries.dockerfileFrontend.value;
  }
  if (found.length) {
    problems.push({
      code: "invalid-value",
      message: `The mirror file ${path} is malformed:\n${found.slice(0, 10).map((f) => `    ${f}`).join("\n")}${found.length > 10 ? `\n    … and ${found.length - 10} more` : ""}`,
      hint: "Fix the lines named; the file's shape is matrix/schema/mirror-file.schema.json, with examples in the README (\"Restricted networks\").",
    });
    return undefined;
  }
  return choice;
}

/** A lock's recorded choice, checked again like a typed one (a lock is input too). */
function fromLock(value: unknown, m: Matrix, problems: Problem[]): MirrorChoice | undefined {
  const v = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const allowInsecure = v.allowInsecure === true;
  const source = typeof v.source === "string" ? v.source : "";
  if (!isSingleLine(source)) {
    // The source is written into comments of the Dockerfile, the compose file and the host script.
    problems.push({ code: "no-lock", message: "cuda-scaffold.lock.json: request.mirror.source holds a line break or a control character, which cuda-scaffold never writes there.", hint: "Restore the lock from version control, or regenerate it: add --mirror <preset|file> and --force." });
    return undefined;
  }
  if (v.kind === "preset") {
    if (m.mirrors.presets[source]) return presetChoice(source, m, allowInsecure);
    problems.push(presetProblem(source, m, "The lock's mirror"));
    return undefined;
  }
  // A file's entries were recorded when the files were made: the file itself need not exist now.
  const lines = ["endpoints:"];
  const endpoints = typeof v.endpoints === "object" && v.endpoints !== null ? (v.endpoints as Record<string, unknown>) : {};
  for (const [id, url] of Object.entries(endpoints)) lines.push(`  ${JSON.stringify(id)}: ${JSON.stringify(String(url))}`);
  if (v.uv === "image" || v.uv === "index") lines.push(`uv: ${v.uv}`);
  if (Array.isArray(v.registryMirrors)) lines.push(`registry-mirrors: ${JSON.stringify(v.registryMirrors.map(String))}`);
  if (typeof v.dockerfileFrontend === "string") lines.push(`dockerfile-frontend: ${JSON.stringify(v.dockerfileFrontend)}`);
  const choice = fromFile(`${source || "mirror file"} (as recorded in the lock)`, `${lines.join("\n")}\n`, m, allowInsecure, problems);
  // The preset the file extended is recorded apart: its endpoints are in `endpoints` already (an
  // endpoint the file set to public is not), so it is not applied again.
  if (choice && typeof v.extends === "string") {
    if (m.mirrors.presets[v.extends]) choice.extends = v.extends;
    else problems.push(presetProblem(v.extends, m, "The lock's mirror file extends"));
  }
  return choice && { ...choice, source };
}

/** The request's mirror choice; undefined when none was asked for or it was refused (then problems say why). */
export function parseMirror(raw: RawMirror | undefined, allowInsecure: boolean, m: Matrix, problems: Problem[]): MirrorChoice | undefined {
  if (raw === undefined) {
    if (allowInsecure) problems.push({ code: "invalid-value", message: "--allow-insecure-mirror was given without --mirror.", hint: "Add --mirror <preset|file>, or leave --allow-insecure-mirror out." });
    return undefined;
  }
  switch (raw.kind) {
    case "preset":
      if (m.mirrors.presets[raw.name]) return presetChoice(raw.name, m, allowInsecure);
      problems.push(presetProblem(raw.name, m, "--mirror"));
      return undefined;
    case "unreadable":
      problems.push({ code: "invalid-value", message: `--mirror ${JSON.stringify(raw.path.slice(0, 80))}: ${raw.reason}.`, alternatives: presetNames(m), hint: `Give a preset (${presetNames(m).join(", ")}) or the path of a mirror file (see the README, "Restricted networks").` });
      return undefined;
    case "file":
      if (!isSingleLine(raw.path)) {
        problems.push({ code: "invalid-value", message: `--mirror ${JSON.stringify(raw.path.slice(0, 80))}: the path holds a line break or a control character, and it is written into the files' comments.`, hint: "Rename the mirror file, or copy it to a path of printable characters." });
        return undefined;
      }
      return fromFile(raw.path, raw.text, m, allowInsecure, problems);
    case "locked":
      return fromLock(raw.value, m, problems);
  }
}

/** The choice as the lock records it (and the Request carries it). */
export function lockedMirror(choice: MirrorChoice): MirrorChoice {
  const ordered: MirrorChoice = { kind: choice.kind, source: choice.source, ...(choice.extends !== undefined ? { extends: choice.extends } : {}), endpoints: choice.endpoints, uv: choice.uv, registryMirrors: choice.registryMirrors, allowInsecure: choice.allowInsecure };
  if (choice.dockerfileFrontend !== undefined) ordered.dockerfileFrontend = choice.dockerfileFrontend;
  return ordered;
}
