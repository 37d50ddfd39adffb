// Where the generated files fetch from, as the templates place it: the Dockerfile's build
// arguments (one per endpoint it uses, defaulting to the public host or the mirror chosen), the
// same arguments passed through by compose and the Dev Container, and the host script's
// repository defaults. Pure: (Resolution, Matrix) -> flat values.
import type { Matrix } from "../matrix/data.js";
import { fillTool, tool } from "../matrix/lookup.js";
import type { Resolution } from "../resolve/types.js";
import { commentText, shellWord } from "../render/quote.js";
import { argRef, endpointOf, mirrorSet, switchable, type MirrorSet } from "./mirror-set.js";
import { osEndpoint, prefixPattern, stackEndpoints } from "./stack-endpoints.js";
import type { EndpointId } from "./types.js";

export interface BuildArg {
  name: string;
  /** the default in the Dockerfile's ARG line ("" = the image's own sources) */
  value: string;
}

export function mirrorsOf(res: Resolution, m: Matrix): MirrorSet {
  return mirrorSet(m, res.request.mirror);
}

/** A Docker Hub reference (nvidia/cuda:…, ubuntu:22.04) under the docker-hub build argument: library/ spelled out, as a mirror needs it. */
function hubRef(m: Matrix, ms: MirrorSet, image: string): string {
  const path = image.includes("/") ? image : `library/${image}`;
  return `${argRef(ms.endpoint("docker-hub"), ms.value("docker-hub"))}/${path}`;
}

/** The uv image, with ghcr.io swapped for its mirror. */
function uvImage(m: Matrix, ms: MirrorSet): string {
  const image = tool(m, "uvImage");
  const upstream = ms.public("ghcr");
  return ms.mirrored("ghcr") && image.startsWith(`${upstream}/`) ? `${ms.value("ghcr")}${image.slice(upstream.length)}` : image;
}

/** The `# syntax=` line's frontend, or null: none (the engine's built-in frontend). */
function syntax(m: Matrix, ms: MirrorSet): string | null {
  const chosen = ms.choice?.dockerfileFrontend;
  if (chosen === "builtin") return null;
  if (chosen) return chosen;
  const image = tool(m, "dockerfileSyntax");
  return ms.mirrored("docker-hub") ? `${ms.value("docker-hub")}/${image}` : image;
}

/**
 * The architecture folder of NVIDIA's CUDA repositories for the request's platform: x86_64, or
 * sbsa on linux/arm64 (matrix/arm64.yaml `repos`, from NVIDIA's own Dockerfiles).
 */
export function cudaRepoArch(res: Resolution, m: Matrix): string {
  const row = m.arm64.repos.find((r) => r.what.startsWith("NVIDIA CUDA"));
  const url = res.request.platform === "linux/arm64" ? row?.arm64 : row?.amd64;
  return /<distro>\/([^/]+)\//.exec(url ?? "")?.[1] ?? "x86_64";
}

/** dockerfileSources per resolution: the Dockerfile, compose and Dev Container views of one render all ask for it. */
const sourcesOf = new WeakMap<Resolution, { m: Matrix; sources: ReturnType<typeof computeSources> }>();

export function dockerfileSources(res: Resolution, m: Matrix): ReturnType<typeof computeSources> {
  const hit = sourcesOf.get(res);
  if (hit?.m === m) return hit.sources;
  const sources = computeSources(res, m);
  sourcesOf.set(res, { m, sources });
  return sources;
}

function computeSources(res: Resolution, m: Matrix) {
  const ms = mirrorsOf(res, m);
  const { plan } = res;
  const uv = plan.python.source === "uv";
  const fromIndex = uv && ms.choice?.uv === "index";
  const order = stackEndpoints(m, res.request, res.builds, plan);
  const ids = new Set<EndpointId>(order);
  const buildArgs: BuildArg[] = order.map((id) => ({ name: ms.endpoint(id).arg!, value: id === "ghcr" ? uvImage(m, ms) : ms.value(id) }));
  const ref = (id: EndpointId) => argRef(ms.endpoint(id), id === "ghcr" ? uvImage(m, ms) : ms.value(id));
  const stageArgs = (list: EndpointId[]) => list.filter((id) => ids.has(id)).map((id) => ms.endpoint(id).arg!);
  const osId = osEndpoint(m, plan, res.request.platform);
  const keyFile = `${tool(m, "cudaRpmKeyFingerprint").slice(-8)}.pub`;
  const arch = cudaRepoArch(res, m);
  const rpmRepo = `${plan.os.nvidiaRepo}/${arch}`;
  return {
    ms,
    syntax: syntax(m, ms),
    buildArgs,
    baseFrom: hubRef(m, ms, plan.base.from),
    uvImageRef: uv && !fromIndex ? ref("ghcr") : "",
    uvFromIndex: fromIndex ? { from: hubRef(m, ms, m.mirrors.uvFromIndex.image), index: `"${ref("pypi")}"`, version: tool(m, "uvImage").replace(/^.*:/, "") } : null,
    // Registries are used only in FROM lines; every other argument is used in the base stage.
    baseArgs: stageArgs(order.filter((id) => id !== "docker-hub" && id !== "ghcr")),
    devArgs: stageArgs([osId, "cuda-repo"]),
    indexEnv: ref("pypi"),
    pythonMirrorEnv: uv ? ref("python-builds") : "",
    /** the OS mirror's value in a RUN line: "${UBUNTU_MIRROR:-<mirror or empty>}" */
    osMirrorShell: `"\${${ms.endpoint(osId).arg}:-${ms.value(osId)}}"`,
    /** sed -E pattern of the public prefix the OS mirror replaces in the image's apt sources (archive and security, or the ports archive on arm64) */
    aptArchivePattern: prefixPattern(ms.endpoint(osId)),
    cudaRepoShell: ref("cuda-repo"),
    rocky: osId === "rocky",
    ubi: osId === "ubi",
    /** the first apt step of a plain Ubuntu image, which has no CA certificates for an https mirror yet */
    aptBootstrap: plan.os.family === "debian" && plan.base.kind === "os",
    keyringUrl: plan.os.cudaKeyring ? switchable(m, ms, `${tool(m, "cudaRepoBase")}/${rpmRepo}/${plan.os.cudaKeyring}`).dockerfile : "",
    rpmRepoUrl: switchable(m, ms, `${tool(m, "cudaRepoBase")}/${rpmRepo}/${fillTool(m, "cudaRpmRepoFile", { REPO: plan.os.nvidiaRepo })}`).shell,
    rpmKeyUrl: switchable(m, ms, `${tool(m, "cudaRepoBase")}/${rpmRepo}/${keyFile}`).shell,
    rpmKeySha256: tool(m, "cudaRpmKeySha256"),
    downloads: plan.base.downloads.map((d) => ({ ...d, url: switchable(m, ms, d.url).dockerfile, sha256: d.sha256 ?? "" })),
    sourcesWhy: sourcesWhy(ms),
  };
}

function sourcesWhy(ms: MirrorSet): string[] {
  const lines = [
    "Every source the build fetches from is a build argument, defaulting to the public host",
    "Switch one without editing this file: `docker build --build-arg PIP_INDEX_URL=https://…`, or",
    "PIP_INDEX_URL=https://… in the compose project's .env. Empty means the default. The frontend of",
    "line 1 follows BUILDKIT_SYNTAX; without line 1, Docker Engine 25.0+ builds this file with its",
    "built-in frontend. README: \"Restricted networks\".",
  ];
  if (ms.choice) lines[0] = `Every source the build fetches from is a build argument, defaulting to the mirrors of --mirror ${commentText(ms.choice.source)}`;
  lines[0] += ".";
  return lines;
}

/**
 * The build arguments as compose passes them: `${NAME:-default}`, so an unset or empty .env entry
 * keeps the default. An argument whose default is empty (an OS mirror: keep the image's own sources)
 * has no value (null), which every Compose client reads as "from the environment or .env when set
 * there": `${NAME:-}` itself is passed through unexpanded by podman-compose before 1.0.6 (Debian 12
 * ships 1.0.3), and the build would take the literal text for a mirror
 * (https://github.com/containers/podman-compose/commit/0bd493f, "Allow empty default/error value in substitution").
 * How each client resolves an argument without a value is matrix/platform.yaml composeValuelessBuildArg:
 * docker-compose 1.x passes an unset one as empty, so only an argument whose default is empty may have none.
 */
export function composeBuildArgs(res: Resolution, m: Matrix): { name: string; value: string | null }[] {
  const src = dockerfileSources(res, m);
  const args: { name: string; value: string | null }[] = src.buildArgs.map((a) => ({ name: a.name, value: a.value === "" ? null : `\${${a.name}:-${a.value}}` }));
  if (src.syntax) args.push({ name: "BUILDKIT_SYNTAX", value: `\${BUILDKIT_SYNTAX:-${src.syntax}}` });
  return args;
}

/**
 * The build arguments as the Dev Container passes them: `${localEnv:NAME}` without a default,
 * because the Dev Containers CLI cuts a default at its first colon (every URL has one); an unset
 * variable is passed empty, which the Dockerfile reads as its own default.
 */
export function devcontainerBuildArgs(res: Resolution, m: Matrix): { name: string; value: string }[] {
  return dockerfileSources(res, m).buildArgs.map((a) => ({ name: a.name, value: `\${localEnv:${a.name}}` }));
}

/** The host script's sources: the repository bases its options replace, and their defaults. */
export function hostSources(res: Resolution, m: Matrix) {
  const ms = mirrorsOf(res, m);
  const split = (key: string, id: EndpointId) => {
    const url = tool(m, key);
    const hit = endpointOf(m, url);
    if (!hit || hit.endpoint.id !== id) throw new Error(`matrix: ${key} (${url}) is not served by the ${id} endpoint`);
    return { upstream: shellWord(hit.endpoint.upstream), path: shellWord(hit.rest), value: shellWord(ms.value(id)) };
  };
  const docker = split("dockerRepoUrl", "docker-ce");
  const toolkit = split("containerToolkitRepoUrl", "container-toolkit");
  return {
    dockerRepoUpstreamSh: docker.upstream,
    dockerRepoPathSh: docker.path,
    dockerRepoSh: docker.value,
    toolkitRepoUpstreamSh: toolkit.upstream,
    toolkitRepoPathSh: toolkit.path,
    toolkitRepoSh: toolkit.value,
    cudaRepoUpstreamSh: shellWord(ms.public("cuda-repo")),
    cudaRepoBaseSh: shellWord(ms.value("cuda-repo")),
    registryMirrorsSh: (ms.choice?.registryMirrors ?? []).map(shellWord).join(" "),
    mirrorNote: ms.choice ? `the mirrors of --mirror ${commentText(ms.choice.source)}` : "the public hosts",
  };
}
