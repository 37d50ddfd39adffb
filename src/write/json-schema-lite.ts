// A small JSON Schema (draft-07) validator for the subset of keywords our own schemas use, so
// that reading a lock file needs no schema library at run time. The keywords it knows are listed
// in SUPPORTED_KEYWORDS; a test walks every schema given to it and fails on any other keyword, and
// checks that it agrees with ajv on a corpus of good and bad documents.
//
// Every check is linear in the size of the document: a list over its maxItems (or an object over
// its maxProperties) is reported and not descended into, and recursion follows the schema, whose
// depth is fixed, never the document's.

import { printable } from "../terminal-text.js";

export type Schema = { [keyword: string]: unknown };

export interface SchemaProblem {
  /** Where, as a reader would write it: `request.specs[0].name`; "" for the document itself. */
  path: string;
  message: string;
  /** "type": the value has the wrong JSON type; "value": the right type, a wrong value. */
  kind: "type" | "value";
}

export const SUPPORTED_KEYWORDS = new Set([
  // annotations
  "$schema", "$id", "$comment", "title", "description", "definitions",
  // assertions
  "$ref", "type", "const", "enum",
  "properties", "required", "additionalProperties", "maxProperties",
  "items", "minItems", "maxItems",
  "minLength", "maxLength", "pattern",
]);

const MAX_PROBLEMS = 10;

type JsonType = "null" | "boolean" | "number" | "string" | "array" | "object";

function typeOf(v: unknown): JsonType {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v as JsonType;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeOf(v) === "object";

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const [ta, tb] = [typeOf(a), typeOf(b)];
  if (ta !== tb || (ta !== "array" && ta !== "object")) return false;
  if (ta === "array") {
    const [x, y] = [a as unknown[], b as unknown[]];
    return x.length === y.length && x.every((v, i) => deepEqual(v, y[i]));
  }
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => Object.hasOwn(y, k) && deepEqual(x[k], y[k]));
}

function hasType(v: unknown, type: string): boolean {
  const t = typeOf(v);
  if (type === "integer") return t === "number" && Number.isInteger(v);
  return t === type;
}

/** Length in code points, as JSON Schema counts it. */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) n++;
    else {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      n++;
    }
  }
  return n;
}

const cut = (s: string, max = 40) => (s.length > max ? `${s.slice(0, max)}…` : s);
/** A string from the document as a quoted, cut, control-free literal. */
const quoted = (s: string) => printable(JSON.stringify(cut(s)), 200);

/** What a value is, for a message: `a number (11)`, `the string "a100"`, `a list`. */
export function describe(v: unknown): string {
  switch (typeOf(v)) {
    case "null":
      return "null";
    case "boolean":
      return String(v);
    case "number":
      return `a number (${cut(String(v))})`;
    case "string":
      return `the string ${quoted(v as string)}`;
    case "array":
      return "a list";
    default:
      return "an object";
  }
}

const article = (type: string) => (type === "null" ? "null" : type === "array" ? "a list" : type === "object" || type === "integer" ? `an ${type}` : `a ${type}`);

function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  const shown = /^[A-Za-z_$][\w$]{0,39}$/.test(key) ? key : null;
  if (shown !== null) return path === "" ? shown : `${path}.${shown}`;
  return `${path}[${quoted(key)}]`;
}

class Validator {
  readonly problems: SchemaProblem[] = [];
  private readonly patterns = new Map<string, RegExp>();

  constructor(private readonly root: Schema) {}

  private report(path: string, message: string, kind: SchemaProblem["kind"] = "value"): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ path, kind, message: `${path === "" ? "its content" : path} ${message}` });
  }

  private full(): boolean {
    return this.problems.length >= MAX_PROBLEMS;
  }

  private resolve(ref: string): Schema {
    const m = /^#\/definitions\/([A-Za-z0-9_-]+)$/.exec(ref);
    const defs = this.root["definitions"] as Record<string, Schema> | undefined;
    if (!m || !defs || !Object.hasOwn(defs, m[1]!)) throw new Error(`schema: cannot resolve $ref ${ref}`);
    return defs[m[1]!]!;
  }

  private pattern(source: string): RegExp {
    let re = this.patterns.get(source);
    if (!re) {
      re = new RegExp(source, "u");
      this.patterns.set(source, re);
    }
    return re;
  }

  check(schema: Schema | boolean, v: unknown, path: string): void {
    if (this.full()) return;
    if (schema === true) return;
    if (schema === false) return this.report(path, "is not allowed here");
    if (typeof schema["$ref"] === "string") return this.check(this.resolve(schema["$ref"]), v, path);

    const type = schema["type"] as string | string[] | undefined;
    if (type !== undefined) {
      const types = Array.isArray(type) ? type : [type];
      if (!types.some((t) => hasType(v, t))) return this.report(path, `is ${describe(v)}; expected ${types.map(article).join(" or ")}`, "type");
    }
    if ("const" in schema && !deepEqual(v, schema["const"])) return this.report(path, `is ${describe(v)}; expected ${JSON.stringify(schema["const"])}`);
    const allowed = schema["enum"] as unknown[] | undefined;
    if (allowed && !allowed.some((a) => deepEqual(v, a))) {
      return this.report(path, `is ${describe(v)}; expected one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
    }
    if (typeof v === "string") this.checkString(schema, v, path);
    else if (Array.isArray(v)) this.checkArray(schema, v, path);
    else if (isObject(v)) this.checkObject(schema, v, path);
  }

  private checkString(schema: Schema, v: string, path: string): void {
    const max = schema["maxLength"] as number | undefined;
    const min = schema["minLength"] as number | undefined;
    if (max !== undefined || min !== undefined) {
      const n = codePoints(v);
      if (max !== undefined && n > max) return this.report(path, `is ${n} characters long; at most ${max}`);
      if (min !== undefined && n < min) return this.report(path, `is ${n} characters long; at least ${min}`);
    }
    const source = schema["pattern"] as string | undefined;
    if (source !== undefined && !this.pattern(source).test(v)) {
      this.report(path, `(${describe(v)}) is not ${(schema["title"] as string | undefined) ?? `of the form ${source}`}`);
    }
  }

  private checkArray(schema: Schema, v: unknown[], path: string): void {
    const max = schema["maxItems"] as number | undefined;
    const min = schema["minItems"] as number | undefined;
    if (max !== undefined && v.length > max) return this.report(path, `has ${v.length} entries; at most ${max}`);
    if (min !== undefined && v.length < min) return this.report(path, `has ${v.length} entries; at least ${min}`);
    const items = schema["items"] as Schema | boolean | undefined;
    if (items !== undefined) v.forEach((item, i) => this.check(items, item, childPath(path, i)));
  }

  private checkObject(schema: Schema, v: Record<string, unknown>, path: string): void {
    const keys = Object.keys(v);
    const max = schema["maxProperties"] as number | undefined;
    if (max !== undefined && keys.length > max) return this.report(path, `has ${keys.length} entries; at most ${max}`);
    for (const key of (schema["required"] as string[] | undefined) ?? []) {
      if (!Object.hasOwn(v, key)) this.report(childPath(path, key), "is missing");
    }
    const props = (schema["properties"] as Record<string, Schema | boolean> | undefined) ?? {};
    const extra = schema["additionalProperties"] as Schema | boolean | undefined;
    for (const key of keys) {
      if (this.full()) return;
      if (Object.hasOwn(props, key)) this.check(props[key]!, v[key], childPath(path, key));
      else if (extra === false) this.report(childPath(path, key), "is not a field this version knows");
      else if (extra !== undefined) this.check(extra, v[key], childPath(path, key));
    }
  }
}

/** Problems with `value` against `schema` (at most MAX_PROBLEMS); empty when it is valid. */
export function validateSchema(schema: Schema, value: unknown): SchemaProblem[] {
  const v = new Validator(schema);
  v.check(schema, value, "");
  return v.problems;
}
