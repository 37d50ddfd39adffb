// Handlebars templates, precompiled at build time (scripts/compile-data.mjs) with `noEscape`
// (HTML escaping corrupts Dockerfiles and shell) and `strict` (a missing value is a bug), so
// only Handlebars' runtime is loaded here.
import { readFileSync } from "node:fs";
import runtime from "handlebars/runtime.js";
import specs, { shellPartsFile } from "../../generated/templates.js";
import { json } from "./quote.js";

// The Handlebars environment is made on the first render, not when this module loads (every
// rendering command loads it, `check` included): the partials then, each template when it is first
// rendered. A render uses about a third of the templates (the cluster ones only with --with).
let hb: typeof import("handlebars") | undefined;
const templates = new Map<string, HandlebarsTemplateDelegate>();
const templateSpecs = specs as Record<string, TemplateSpecification>;

function environment(): typeof import("handlebars") {
  if (hb) return hb;
  // The runtime's own typings are empty; it has the same API as the full package.
  const env = (runtime as unknown as typeof import("handlebars")).create();
  env.registerHelper("json", (value: unknown) => json(value));
  for (const [name, spec] of Object.entries(templateSpecs)) {
    if (name.startsWith("partials/")) env.registerPartial(name.slice("partials/".length), env.template(spec));
    // Partials of a template folder are named after it: cluster/partials/env.hbs is `cluster/env`.
    else if (name.includes("/partials/")) env.registerPartial(name.replace("/partials/", "/"), env.template(spec));
  }
  return (hb = env);
}

export function renderTemplate(name: string, view: object): string {
  let template = templates.get(name);
  if (!template) {
    const spec = name.includes("partials/") ? undefined : templateSpecs[name];
    if (!spec || !Object.hasOwn(templateSpecs, name)) throw new Error(`no template ${name}.hbs`);
    template = environment().template(spec);
    templates.set(name, template);
  }
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
