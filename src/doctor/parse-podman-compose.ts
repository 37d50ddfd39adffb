// `podman compose` and podman-compose. `podman compose` (Podman 4.7 and newer; Podman 4.3 answers
// "Error: unrecognized command `podman compose`") runs an external provider, chosen in this order
// (containers/podman cmd/podman/compose.go, composeProvider): PODMAN_COMPOSE_PROVIDER when it is
// set; else the first of containers.conf's compose_providers that exec.LookPath finds; Linux's
// default list puts docker-compose (its CLI-plugin paths, then on PATH) before podman-compose
// (containers/common pkg/config, defaultUnixComposeProviders; podman-compose(1): "If installed,
// docker-compose takes precedence"). Asking Podman itself covers all three: the live probe runs
// `podman --log-level=debug compose version` and reads the provider from Podman's own debug line
// `Found compose provider "PATH"` or its warning `Executing external compose provider "PATH"`.
//
// `podman-compose version` prints, in podman-compose 1.0.3 (Debian 12), `podman-composer version
// 1.0.3` (sic, two spaces) among the `podman --version` lines; 1.0.6 also prints
// `podman-compose version: 1.0.6` first; later releases `podman-compose version 1.x.y`.
import { capValue, commandNotFound } from "./text-values.js";

export interface ComposeProviderReport {
  /** Podman has a `compose` command (false: Podman before 4.7). */
  supported?: boolean;
  /** The provider's path as Podman found it; null when Podman found none. */
  providerPath?: string | null;
  error?: string;
}

export function parseComposeProvider(text: string): ComposeProviderReport {
  if (/unrecognized command `podman compose`/.test(text)) return { supported: false };
  // logrus quotes the message when stderr is not a terminal, escaping the path's quotes (\").
  const found = /(?:Found|Executing external) compose provider \\?"([^"\\]+)\\?"/.exec(text);
  if (found?.[1]) return { supported: true, providerPath: capValue(found[1]) };
  if (/looking up compose provider failed|no compose provider specified/.test(text)) {
    return { supported: true, providerPath: null, error: "podman compose found no provider (docker-compose or podman-compose)" };
  }
  if (commandNotFound(text, "podman")) return { error: "podman: command not found" };
  return {};
}

export interface PodmanComposeVersionReport {
  installed?: boolean;
  version?: string;
  error?: string;
}

export function parsePodmanComposeVersion(text: string): PodmanComposeVersionReport {
  const m = /^podman-composer? version:?\s+v?(\d+(?:\.\d+)+[^\s]*)\s*$/m.exec(text);
  if (m?.[1]) return { installed: true, version: capValue(m[1]) };
  if (commandNotFound(text, "podman-compose")) return { installed: false };
  return {};
}

/** The provider's kind from its path: podman-compose, docker-compose (also as a Docker CLI plugin), or the file name. */
export function providerName(path: string): string {
  const base = path.split("/").pop() ?? path;
  return base === "docker-compose" || base === "podman-compose" ? base : capValue(base);
}
