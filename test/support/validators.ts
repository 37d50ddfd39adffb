// Offline validators for the generated artifacts: the official Compose and Dev Container
// schemas (../shared/schemas), the Dockerfile language service's linter, shellcheck.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import formats from "ajv-formats";
import { parse as parseJsonc, type ParseError } from "jsonc-parser";
import { parse as parseYaml } from "yaml";
import { validate as lintDockerfile, ValidationSeverity } from "dockerfile-utils";
import { SHARED } from "./shared.js";

const addFormats = formats as unknown as (ajv: Ajv) => void;
let composeValidator: ValidateFunction | undefined;
let devcontainerValidator: ValidateFunction | undefined;

export function composeProblems(text: string): string[] {
  if (!composeValidator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    // The schema names the https form of draft-07's URI, which Ajv registers as http; it is draft-07.
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(join(SHARED, "schemas/compose-spec.json"), "utf8"));
    composeValidator = ajv.compile(schema);
  }
  const doc = parseYaml(text) as { services?: Record<string, { deploy?: { resources?: { reservations?: { devices?: Record<string, unknown>[] } } } }> };
  const problems: string[] = [];
  if (!composeValidator(doc)) problems.push(...(composeValidator.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
  // Rules no schema states.
  for (const [name, svc] of Object.entries(doc.services ?? {})) {
    for (const dev of svc.deploy?.resources?.reservations?.devices ?? []) {
      const count = dev.count;
      if (count !== undefined && count !== "all" && !(Number.isInteger(count) && (count as number) > 0)) problems.push(`${name}: count ${JSON.stringify(count)} is not a positive integer or "all"`);
      if (count !== undefined && dev.device_ids !== undefined) problems.push(`${name}: count and device_ids together`);
      if (!Array.isArray(dev.capabilities) || !dev.capabilities.includes("gpu")) problems.push(`${name}: capabilities lacks gpu`);
      if (dev.driver !== "nvidia") problems.push(`${name}: driver is not nvidia`);
    }
  }
  return problems;
}

export function devcontainerProblems(text: string): string[] {
  if (!devcontainerValidator) {
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    addFormats(ajv as unknown as Ajv);
    devcontainerValidator = ajv.compile(JSON.parse(readFileSync(join(SHARED, "schemas/devContainer.base.schema.json"), "utf8")));
  }
  const errors: ParseError[] = [];
  const data = parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: false });
  if (errors.length) return errors.map((e) => `JSONC syntax error ${e.error} at ${e.offset}`);
  if (devcontainerValidator(data)) return [];
  return (devcontainerValidator.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

export function dockerfileProblems(text: string): string[] {
  return lintDockerfile(text)
    .filter((d) => d.severity === ValidationSeverity.ERROR || d.severity === ValidationSeverity.WARNING)
    .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
}

/** shellcheck findings for a script's text, or for several script files at once. */
export function shellcheckProblems(input: string | string[]): string[] {
  const files = typeof input === "string" ? ["-"] : input;
  const r = spawnSync("shellcheck", ["--shell=bash", "--format=gcc", ...files], { input: typeof input === "string" ? input : undefined, encoding: "utf8" });
  if (r.error) return [`shellcheck did not run: ${r.error.message}`];
  return r.status === 0 ? [] : r.stdout.trim().split("\n");
}

export const hasShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;
