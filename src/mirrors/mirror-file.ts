// A mirror file (matrix/schema/mirror-file.schema.json) -> its entries, each problem naming the
// file and the line. The checks here are the schema's, written out so that they can say where;
// test/mirror-file.test.ts keeps the two in step.
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from "yaml";
import type { Endpoint } from "../matrix/types.gen.js";
import type { EndpointId } from "./types.js";

export interface MirrorFileEntries {
  extends?: { name: string; line: number };
  endpoints: { id: EndpointId; value: string; line: number }[];
  uv?: "image" | "index";
  registryMirrors?: { value: string; line: number }[];
  dockerfileFrontend?: { value: string; line: number };
}

export const MAX_MIRROR_FILE_BYTES = 64 * 1024;
const TOP_KEYS = ["extends", "endpoints", "uv", "registry-mirrors", "dockerfile-frontend"] as const;

export function parseMirrorFile(path: string, text: string, endpoints: readonly Endpoint[]): { entries: MirrorFileEntries; problems: string[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const problems: string[] = [];
  const at = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 1);
  const say = (line: number, message: string) => problems.push(`${path}:${line}: ${message}`);
  const entries: MirrorFileEntries = { endpoints: [] };
  if (doc.errors.length) {
    for (const e of doc.errors.slice(0, 5)) say(e.linePos?.[0]?.line ?? 1, `not valid YAML: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`);
    return { entries, problems };
  }
  const root = doc.contents;
  if (root === null) {
    say(1, "is empty; it needs at least one of extends, endpoints, uv, registry-mirrors, dockerfile-frontend");
    return { entries, problems };
  }
  if (!isMap(root)) {
    say(at(root), "must be a mapping of extends, endpoints, uv, registry-mirrors and dockerfile-frontend");
    return { entries, problems };
  }
  const text1 = (node: unknown): string | null => (isScalar(node) && typeof node.value === "string" ? node.value : null);
  const ids = endpoints.map((e) => e.id);
  for (const pair of root.items as Pair<Node, Node>[]) {
    const key = text1(pair.key);
    const line = at(pair.key);
    if (key === null || !(TOP_KEYS as readonly string[]).includes(key)) {
      say(line, `unknown key ${JSON.stringify(isScalar(pair.key) ? pair.key.value : "?")}; the keys are ${TOP_KEYS.join(", ")}`);
      continue;
    }
    const value = pair.value;
    if (key === "extends") {
      const name = text1(value);
      if (name === null) say(at(value) || line, "extends must be a preset's name, e.g. extends: cn");
      else entries.extends = { name, line: at(value) };
    } else if (key === "uv") {
      const v = text1(value);
      if (v !== "image" && v !== "index") say(at(value) || line, "uv must be image (uv's image from ghcr.io or its mirror) or index (uv from the package index)");
      else entries.uv = v;
    } else if (key === "dockerfile-frontend") {
      const v = text1(value);
      if (v === null) say(at(value) || line, "dockerfile-frontend must be builtin or an image reference");
      else entries.dockerfileFrontend = { value: v, line: at(value) };
    } else if (key === "registry-mirrors") {
      if (!isSeq(value)) {
        say(at(value) || line, "registry-mirrors must be a list of https URLs");
        continue;
      }
      entries.registryMirrors = [];
      for (const item of value.items as Node[]) {
        const v = text1(item);
        if (v === null) say(at(item), "each registry mirror must be a URL string");
        else entries.registryMirrors.push({ value: v, line: at(item) });
      }
      if (entries.registryMirrors.length > 16) say(at(value), "lists more than 16 registry mirrors");
    } else if (!isMap(value)) {
      say(at(value) || line, "endpoints must be a mapping of endpoint → mirror, e.g. pypi: https://mirror.example.com/pypi/simple");
    } else {
      for (const e of value.items as Pair<Node, Node>[]) {
        const id = text1(e.key);
        if (id === null || !ids.includes(id as EndpointId)) {
          say(at(e.key), `unknown endpoint ${JSON.stringify(isScalar(e.key) ? e.key.value : "?")}; the endpoints are ${ids.join(", ")}`);
          continue;
        }
        const v = text1(e.value);
        if (v === null) say(at(e.value) || at(e.key), `${id} must be a URL or registry prefix as a string (or public)`);
        else entries.endpoints.push({ id: id as EndpointId, value: v, line: at(e.value) });
      }
    }
  }
  return { entries, problems };
}
