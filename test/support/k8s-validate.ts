// Validates Kubernetes manifests the way the API server would on `kubectl apply` (strict field
// validation, the default since Kubernetes 1.27):
// - built-in kinds (Job, Service) with kubernetes-models, whose validators are compiled from the
//   official OpenAPI schemas; those schemas allow unknown fields, so every field name is also
//   checked against the same package's typed model (its generated .d.ts interfaces);
// - the TrainJob against the Kubeflow Trainer CRD's openAPIV3Schema (fixtures/cluster/), with
//   unknown fields refused as for any structural schema, and its CEL rules on metadata.name.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parseAllDocuments, parse } from "yaml";
import { Ajv } from "ajv";
import { Job } from "kubernetes-models/batch/v1";
import { Service } from "kubernetes-models/v1";
import { ROOT } from "./shared.js";

const require = createRequire(import.meta.url);

export const TRAINER_FIXTURES = join(ROOT, "fixtures/cluster/kubeflow-trainer-v2.3.0");

/** Every YAML document of a file; a syntax error or a warning (duplicate key…) throws. */
export function yamlDocuments(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text, { uniqueKeys: true, strict: true, prettyErrors: true }).map((d) => {
    const problems = [...d.errors, ...d.warnings];
    if (problems.length) throw new Error(problems.map((p) => p.message).join("\n"));
    return d.toJS() as Record<string, unknown>;
  });
}

// ---- field names from kubernetes-models' .d.ts ----

interface Iface {
  props: Map<string, string>;
  imports: Map<string, string>;
}
const ifaceCache = new Map<string, Iface | null>();

/** The interface a kubernetes-models .d.ts declares: property -> type text, and where imported types live. */
function readIface(file: string): Iface | null {
  if (ifaceCache.has(file)) return ifaceCache.get(file)!;
  const text = readFileSync(file, "utf8");
  const imports = new Map<string, string>();
  for (const m of text.matchAll(/^import \{ ([^}]+) \} from "([^"]+)";$/gm)) {
    const spec = m[2]!;
    if (spec === "@kubernetes-models/base") continue;
    const path = spec.startsWith(".") ? join(dirname(file), `${spec}.d.ts`) : require.resolve(spec).replace(/\.js$/, ".d.ts");
    for (const name of m[1]!.split(",").map((s) => s.trim())) imports.set(name, path);
  }
  const block = /^export interface I\w+(?: extends TypeMeta)? \{\n([\s\S]*?)^\}/m.exec(text);
  if (!block) {
    ifaceCache.set(file, null);
    return null;
  }
  const props = new Map<string, string>();
  if (/extends TypeMeta/.test(block[0])) props.set("apiVersion", "string").set("kind", "string");
  const lines = block[1]!.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^ {4}"([^"]+)"\??: (.+?);?$/.exec(lines[i]!);
    if (!m) continue;
    let type = m[2]!;
    if (type === "{") {
      const value = /^ {8}\[key: string\]: (.+);$/.exec(lines[i + 1] ?? "");
      type = `Map<${value?.[1] ?? "unknown"}>`;
    }
    props.set(m[1]!, type);
  }
  const iface = { props, imports };
  ifaceCache.set(file, iface);
  return iface;
}

function unknownFields(value: unknown, type: string, file: string, path: string, out: string[]): void {
  const arr = /^Array<(.+)>$/.exec(type);
  if (arr) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, arr[1]!, file, `${path}[${i}]`, out));
    return;
  }
  const map = /^Map<(.+)>$/.exec(type);
  if (map) {
    if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) unknownFields(v, map[1]!, file, `${path}.${k}`, out);
    return;
  }
  const owner = readIface(file);
  const target = owner?.imports.get(type);
  if (!target || !value || typeof value !== "object" || Array.isArray(value)) return;
  const iface = readIface(target);
  if (!iface) return; // a type alias: Quantity, IntOrString, Time
  for (const [k, v] of Object.entries(value)) {
    const t = iface.props.get(k);
    if (t === undefined) out.push(`${path}.${k}: not a field of ${type.replace(/^IIoK8s(Api|Apimachinery)/, "")}`);
    else unknownFields(v, t, target, `${path}.${k}`, out);
  }
}

const MODELS = {
  "batch/v1/Job": { model: Job, dts: require.resolve("kubernetes-models/batch/v1/Job").replace(/\.js$/, ".d.ts") },
  "v1/Service": { model: Service, dts: require.resolve("kubernetes-models/v1/Service").replace(/\.js$/, ".d.ts") },
} as const;

/** Problems with a built-in object (Job, Service); [] when it is valid. */
export function builtinProblems(doc: Record<string, unknown>): string[] {
  const key = `${String(doc.apiVersion)}/${String(doc.kind)}` as keyof typeof MODELS;
  const entry = MODELS[key];
  if (!entry) return [`${key}: not a kind these tests know`];
  const problems: string[] = [];
  try {
    new entry.model(doc as never).validate();
  } catch (err) {
    problems.push(String((err as Error).message));
  }
  const iface = readIface(entry.dts)!;
  for (const [k, v] of Object.entries(doc)) {
    const t = iface.props.get(k);
    if (t === undefined) problems.push(`${k}: not a field of ${doc.kind}`);
    else unknownFields(v, t, entry.dts, k, problems);
  }
  return problems;
}

// ---- the TrainJob CRD ----

type Schema = Record<string, unknown>;

/** A structural schema refuses fields it does not list, unless it says to keep them. */
function strict(schema: Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === "properties") out[k] = Object.fromEntries(Object.entries(v as Record<string, Schema>).map(([p, s]) => [p, strict(s)]));
    else if ((k === "items" || k === "additionalProperties") && v && typeof v === "object") out[k] = strict(v as Schema);
    else if ((k === "anyOf" || k === "allOf" || k === "oneOf") && Array.isArray(v)) out[k] = v.map((s: Schema) => strict(s));
    else out[k] = v;
  }
  if (out.properties && out.additionalProperties === undefined && !out["x-kubernetes-preserve-unknown-fields"]) out.additionalProperties = false;
  return out;
}

export function trainJobCrd(): Record<string, unknown> {
  return parse(gunzipSync(readFileSync(join(TRAINER_FIXTURES, "trainer.kubeflow.org_trainjobs.yaml.gz"))).toString("utf8")) as Record<string, unknown>;
}

let trainJobValidate: ((doc: unknown) => string[]) | null = null;

/** Problems with a TrainJob against the CRD (every served version's schema by apiVersion). */
export function trainJobProblems(doc: Record<string, unknown>): string[] {
  if (!trainJobValidate) {
    const crd = trainJobCrd() as { spec: { group: string; versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[] } };
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    ajv.addKeyword({ keyword: "x-kubernetes-validations" }); // CEL: the rules on metadata.name are checked below
    const byVersion = new Map(crd.spec.versions.filter((v) => v.served).map((v) => [`${crd.spec.group}/${v.name}`, { validate: ajv.compile(strict(v.schema.openAPIV3Schema)), rules: (v.schema.openAPIV3Schema["x-kubernetes-validations"] ?? []) as { rule: string; message: string }[] }]));
    trainJobValidate = (d) => {
      const o = d as Record<string, unknown>;
      const v = byVersion.get(String(o.apiVersion));
      if (!v) return [`apiVersion ${String(o.apiVersion)} is not served by the CRD (served: ${[...byVersion.keys()].join(", ")})`];
      const problems = v.validate(d) ? [] : (v.validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`);
      const name = String((o.metadata as Record<string, unknown> | undefined)?.name ?? "");
      for (const r of v.rules) {
        const matches = /^self\.metadata\.name\.matches\('(.+)'\)$/.exec(r.rule);
        const size = /^size\(self\.metadata\.name\) <= ([0-9]+)$/.exec(r.rule);
        if (matches && !new RegExp(matches[1]!).test(name)) problems.push(r.message);
        else if (size && name.length > Number(size[1])) problems.push(r.message);
        else if (!matches && !size) problems.push(`a rule these tests cannot evaluate: ${r.rule}`);
      }
      return problems;
    };
  }
  return trainJobValidate(doc);
}
