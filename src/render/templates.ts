// Handlebars templates, precompiled at build time (scripts/compile-data.mjs) with `noEscape`
// (HTML escaping corrupts Dockerfiles and shell) and `strict` (a missing value is a bug), so
// only Handlebars' runtime is loaded here.
import { readFileSync } from "node:fs";
import runtime from "handlebars/runtime.js";
import specs, { shellPartsFile } from "../../generated/templates.js";
import { json } from "./quote.js";

// The runtime's own typings are empty; it has the same API as the full package.
const hb = (runtime as unknown as typeof import("handlebars")).create();
hb.registerHelper("json", (value: unknown) => json(value));
const templates = new Map<string, HandlebarsTemplateDelegate>();
for (const [name, spec] of Object.entries(specs)) {
  const template = hb.template(spec as TemplateSpecification);
  if (name.startsWith("partials/")) hb.registerPartial(name.slice("partials/".length), template);
  // Partials of a template folder are named after it: cluster/partials/env.hbs is `cluster/env`.
  else if (name.includes("/partials/")) hb.registerPartial(name.replace("/partials/", "/"), template);
  else templates.set(name, template);
}

export function renderTemplate(name: string, view: object): string {
  const template = templates.get(name);
  if (!template) throw new Error(`no template ${name}.hbs`);
  return template(view);
}

let parts: Record<string, string> | undefined;
// The plain shell parts (templates/host/steps/*.sh, compiled into one JSON file), read on first use.
function shellParts(): Record<string, string> {
  return (parts ??= JSON.parse(readFileSync(shellPartsFile, "utf8")) as Record<string, string>);
}

/** Names of the plain shell parts under a templates folder ("host/steps/"), in name order. */
export function shellPartNames(folder: string): string[] {
  return Object.keys(shellParts()).filter((name) => name.startsWith(folder)).sort();
}

/** A plain shell part's text, placed as it is (templates/host/steps/*.sh). */
export function shellPart(name: string): string {
  const text = shellParts()[name];
  if (text === undefined) throw new Error(`no shell part ${name}`);
  return text;
}
