// Handlebars templates, precompiled into generated/templates.json at build time. `noEscape`
// because HTML escaping corrupts Dockerfiles and shell; `strict` so a missing value is a bug.
import Handlebars from "handlebars";
import raw from "../../generated/templates.json" with { type: "json" };
import { json } from "./quote.js";

const sources = raw as Record<string, string>;
const hb = Handlebars.create();
hb.registerHelper("json", (value: unknown) => json(value));
for (const [name, source] of Object.entries(sources)) {
  if (name.startsWith("partials/")) hb.registerPartial(name.slice("partials/".length), source);
}
const compiled = new Map<string, HandlebarsTemplateDelegate>();

export function renderTemplate(name: string, view: object): string {
  let template = compiled.get(name);
  if (!template) {
    const source = sources[name];
    if (source === undefined) throw new Error(`no template ${name}.hbs`);
    template = hb.compile(source, { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(view);
}
