// What a mirror may be. Every value ends up in a Dockerfile, a compose file, a JSON file and a
// shell script, so only a plain URL (or registry prefix) passes: no quotes, spaces, `$`, `#`,
// `&`, backslashes or other characters that would mean something in one of them.
import type { Endpoint } from "../matrix/types.gen.js";

const HOST = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?";
const PATH = "(?:/[A-Za-z0-9._~%+=,@-]+)*";
const URL_RULE = new RegExp(`^(https?)://${HOST}${PATH}/?$`);
const REGISTRY_RULE = new RegExp(`^${HOST}(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$`);
const IMAGE_RULE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]{1,5})?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*:[A-Za-z0-9._-]{1,128}(?:@sha256:[0-9a-f]{64})?$/;

export const MAX_MIRROR_LENGTH = 256;

/** Why a mirror for this endpoint is refused, or null when it is fine. */
export function mirrorValueProblem(endpoint: Pick<Endpoint, "id" | "kind">, value: string, allowInsecure: boolean): string | null {
  if (value.length > MAX_MIRROR_LENGTH) return `is longer than ${MAX_MIRROR_LENGTH} characters`;
  if (endpoint.kind === "registry") {
    if (/^[a-z]+:\/\//i.test(value)) return "is a URL; a registry mirror is written as host[:port][/path] (e.g. harbor.example.com/dockerhub), without a scheme";
    return REGISTRY_RULE.test(value) ? null : "is not a registry prefix: host[:port][/path] in lower-case letters, digits, '.', '_' and '-'";
  }
  return urlProblem(value, allowInsecure);
}

/** Why a URL is refused (only https, or http with --allow-insecure-mirror), or null. */
export function urlProblem(value: string, allowInsecure: boolean): string | null {
  if (value.length > MAX_MIRROR_LENGTH) return `is longer than ${MAX_MIRROR_LENGTH} characters`;
  const match = URL_RULE.exec(value);
  if (!match) {
    if (/^[a-z]+:\/\//i.test(value) && !/^https?:\/\//.test(value)) return "is not an https:// URL";
    return "is not a plain https:// URL (letters, digits and . _ ~ % + = , @ - in its path; no query, fragment, quotes, spaces or $)";
  }
  if (match[1] === "http" && !allowInsecure) return "is http://, not https://; pass --allow-insecure-mirror to use a mirror without TLS";
  return null;
}

/** A frontend image for the `# syntax=` line, or "builtin". */
export function frontendProblem(value: string): string | null {
  if (value === "builtin") return null;
  return IMAGE_RULE.test(value) && value.length <= MAX_MIRROR_LENGTH ? null : "is neither `builtin` nor an image reference with a tag (e.g. harbor.example.com/dockerhub/docker/dockerfile:1.7)";
}

/** The same mirror without a trailing slash: every value is used as a prefix. */
export function normalizeMirror(value: string): string {
  return value.replace(/\/+$/, "");
}
