// Image references for the cluster files: the --registry prefix checked against the reference
// grammar Docker and containerd use (github.com/distribution/reference), the full reference
// `<prefix>/<name>:<tag>`, and the forms Apptainer and pyxis want. Pure string functions.

const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]{1,5})?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const DOMAIN_RE = new RegExp(`^${DOMAIN}$`);
const PATH_RE = new RegExp(`^${PATH_COMPONENT}$`);
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** The reference grammar caps a repository name (domain and path, without the tag) at 255 characters. */
export const MAX_NAME = 255;

export interface RegistryPrefix {
  /** registry host[:port], or null for Docker Hub (a bare namespace such as `myteam`) */
  domain: string | null;
  /** repository path components below the registry */
  path: string[];
}

/**
 * The first component names a registry when it has a `.` or a `:`, is `localhost`, or has an
 * upper-case letter (distribution/reference's splitDockerDomain); otherwise it is a Docker Hub
 * namespace.
 */
function isDomain(first: string): boolean {
  return /[.:]/.test(first) || first === "localhost" || first !== first.toLowerCase();
}

/** Why a --registry value is not a reference prefix, or null when it is one. */
export function registryProblem(value: string): string | null {
  if (value.length === 0) return "it is empty";
  if (value.length > MAX_NAME) return `it is longer than ${MAX_NAME} characters`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return "it has a URL scheme; an image reference has none (registry.example.com/team, not https://registry.example.com/team)";
  if (value.endsWith("/")) return "it ends with /";
  if (value.includes("@")) return "it names a digest (@…); give the repository prefix only, the tag is derived from the lock file";
  const parts = value.split("/");
  const first = parts[0]!;
  const domain = isDomain(first) ? first : null;
  if (domain !== null && !DOMAIN_RE.test(domain)) {
    return /:[^0-9]|:$/.test(domain) && parts.length === 1 ? "it names a tag (:…); give the repository prefix only, the tag is derived from the lock file" : `${JSON.stringify(domain)} is not a registry host[:port]`;
  }
  for (const p of domain === null ? parts : parts.slice(1)) {
    if (p.includes(":")) return "it names a tag (:…); give the repository prefix only, the tag is derived from the lock file";
    if (!PATH_RE.test(p)) {
      return p === "" ? "it has an empty path component (//)" : p !== p.toLowerCase() ? `the path component ${JSON.stringify(p)} has upper-case letters; repository paths are lower case` : `the path component ${JSON.stringify(p)} is not lower-case letters and digits separated by ., _, __ or -`;
    }
  }
  return null;
}

export function parseRegistry(value: string): RegistryPrefix {
  const parts = value.split("/");
  return isDomain(parts[0]!) ? { domain: parts[0]!, path: parts.slice(1) } : { domain: null, path: parts };
}

export interface ImageRef {
  /** `<prefix>/<name>:<tag>` (or `<name>:<tag>` without --registry): what Docker and Kubernetes pull */
  reference: string;
  /** the same for pyxis/enroot: the registry separated by # (`registry.example.com#team/name:tag`) */
  pyxis: string;
  /** for Apptainer: docker://… */
  apptainer: string;
  tag: string;
  /** false: no --registry, so the reference names a local image only */
  pushed: boolean;
}

export function imageRef(registry: string | null, name: string, tag: string): ImageRef {
  if (!TAG_RE.test(tag)) throw new Error(`bad image tag ${tag}`);
  const prefix = registry === null ? null : parseRegistry(registry);
  const repo = [...(prefix?.path ?? []), name].join("/");
  const reference = prefix?.domain ? `${prefix.domain}/${repo}:${tag}` : `${repo}:${tag}`;
  return {
    reference,
    pyxis: prefix?.domain ? `${prefix.domain}#${repo}:${tag}` : `${repo}:${tag}`,
    apptainer: `docker://${reference}`,
    tag,
    pushed: registry !== null,
  };
}
