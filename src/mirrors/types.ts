// The mirror part of a request: what --mirror <preset|file> chose, as the lock records it.
import type { Endpoint } from "../matrix/types.gen.js";

export type EndpointId = Endpoint["id"];

/** --mirror, validated. Absent from a Request (and its lock) without --mirror. */
export interface MirrorChoice {
  kind: "preset" | "file";
  /** the preset's name, or the mirror file's path as given */
  source: string;
  /** a mirror file's `extends`: the preset it starts from (whose endpoints without a mirror are warned about, like the preset's own) */
  extends?: string;
  /** endpoint id -> mirror, for every endpoint the choice moves off its public default */
  endpoints: Partial<Record<EndpointId, string>>;
  /** where uv comes from: its image (ghcr.io or its mirror) or the package index */
  uv: "image" | "index";
  /** Docker Hub mirrors for the host's daemon.json */
  registryMirrors: string[];
  /** "builtin": no `# syntax=` line; an image: the frontend the line names; absent: the default (through the docker-hub mirror) */
  dockerfileFrontend?: string;
  /** http:// mirrors were allowed (--allow-insecure-mirror) */
  allowInsecure: boolean;
}

/** --mirror as the request stage reads it, before it is checked. */
export type RawMirror =
  | { kind: "preset"; name: string }
  | { kind: "file"; path: string; text: string }
  | { kind: "unreadable"; path: string; reason: string }
  | { kind: "locked"; value: unknown };
