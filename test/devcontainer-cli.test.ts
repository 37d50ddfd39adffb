// Runs the real Dev Containers CLI (@devcontainers/cli, `devcontainer build` and `devcontainer up`)
// on the generated .devcontainer/devcontainer.json, with a stand-in docker
// (test/support/stand-in-docker.mjs) that records every docker command, and checks what the CLI
// would ask a real engine to do: which Dockerfile stage it builds, how many GPU requests the
// container gets, and whether a host user other than UID 1000 could still write to the venv.
//
// What the CLI does (@devcontainers/cli 0.89.0, node_modules/@devcontainers/cli/dist/spec-node/
// devContainersSpecCLI.js; minified, so the names are those of the bundle):
// - Build: it appends `FROM $_DEV_CONTAINERS_BASE_IMAGE AS dev_containers_target_stage` (plus its
//   metadata LABEL) to a copy of the Dockerfile (Dockerfile-with-features) and builds
//   `--target dev_containers_target_stage --build-arg _DEV_CONTAINERS_BASE_IMAGE=<build.target>`
//   (functions jj/Wj, "overrideTarget"). build.args come first, as `--build-arg K=V`, after
//   ${localEnv:VAR[:default]} substitution (functions C_/hN: an unset variable without a default
//   becomes "").
// - GPUs: `docker run` gets runArgs verbatim, then whatever EW() adds: when hostRequirements.gpu is
//   truthy (true, "optional" or an object) and NQ() finds GPU support — `--gpu-availability all`, or
//   with the default "detect", `docker info -f {{.Runtimes.nvidia}}` printing something that contains
//   "nvidia-container-runtime" — it appends `--gpus all`. So hostRequirements.gpu plus a --gpus in
//   runArgs asks for GPUs twice, and "optional" still adds `--gpus all` on a GPU host.
//   `devcontainer build` never runs a container and never probes the runtime.
// - UID: Xj()/SQ() — unless updateRemoteUserUID is false in devcontainer.json (or the CLI is run with
//   --update-remote-user-uid-default never/off; "on" is the default for `up`, `build` uses "never"),
//   on a Linux host and for a remoteUser other than root or a number, `up` builds
//   scripts/updateUID.Dockerfile on top of the image with --build-arg REMOTE_USER=<remoteUser>
//   NEW_UID=<process.getuid()> NEW_GID=<process.getgid()> IMAGE_USER=<image user>. That script
//   rewrites the user's UID/GID in /etc/passwd and /etc/group (unless another user already has the
//   UID) and `chown -R`s only the user's home folder ($HOME_FOLDER from /etc/passwd). Nothing
//   outside the home — /opt/venv, /opt/python — is re-owned, so after a remap to e.g. 1234 the venv
//   still belongs to 1000 and pip cannot write to it. The host UID cannot be given to the CLI other
//   than through the process's own uid.
//   Hence the contract checked below, for a host UID of 1234: either there is no updateUID build and
//   the image build gets --build-arg USER_UID=1234 (updateRemoteUserUID false plus, e.g.,
//   "USER_UID": "${localEnv:UID:1000}" in build.args — note bash and zsh do not export UID, so the
//   test exports UID/GID the way a user's profile would have to), or the venv lies inside the
//   remote user's home, which the updateUID build re-owns.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { renderFor, file } from "./support/render.js";
import type { GeneratedFile } from "../src/render/render-files.js";
import {
  buildArg,
  gpuRequests,
  hasDevcontainerCli,
  isBuild,
  DEVCONTAINER_BIN,
  mainBuilds,
  runCalls,
  runDevcontainer,
  uidBuilds,
  venvGroupProblems,
  writeProject,
  type CliRun,
  type DockerCall,
} from "./support/devcontainer-cli.js";

if (!hasDevcontainerCli) console.warn(`notice: ${DEVCONTAINER_BIN} is missing (npm install); the Dev Containers CLI tests are skipped.`);

const SPECS = ["torch@2.5.1"];
const HOST_UID = 1234;
const HOST_GID = 1234;
/** Per test: the runs start together in beforeAll and take ~10 s in all; a loaded machine is slower. */
const TIMEOUT = 120_000;

/** --gpus given to cuda-scaffold, and the one GPU request `docker run` must then carry (null: none). */
const GPU_CASES: { gpus: string; want: { count?: number; deviceIds?: string[] } | null }[] = [
  { gpus: "all", want: { count: -1 } },
  { gpus: "2", want: { count: 2 } },
  { gpus: "0,1", want: { deviceIds: ["0", "1"] } },
  { gpus: "none", want: null },
];

interface Project {
  files: GeneratedFile[];
  devcontainerJson: string;
  dockerfile: string;
}
const projects = new Map<string, Project>();
const runs = new Map<string, Promise<CliRun>>();
const key = (command: string, gpus: string, nvidia?: boolean) => `${command} ${gpus}${nvidia === undefined ? "" : nvidia ? " nvidia" : " no-nvidia"}`;
const cleanup: string[] = [];

function project(gpus: string): Project {
  const { files } = renderFor(SPECS, { gpus });
  return { files, devcontainerJson: file(files, ".devcontainer/devcontainer.json"), dockerfile: file(files, "Dockerfile") };
}

/** Each run gets its own copy of the project (and the CLI its own TMPDIR and stand-in state). */
function start(k: string, command: "build" | "up", p: Project, nvidiaRuntime: boolean) {
  const workspace = writeProject(p.files);
  cleanup.push(workspace);
  runs.set(k, runDevcontainer({ command, workspace, nvidiaRuntime, hostUid: HOST_UID, hostGid: HOST_GID }));
}

async function run(k: string): Promise<CliRun> {
  const r = await runs.get(k)!;
  // Where the CLI stopped, if it did, is the first thing to know when an assertion below fails.
  expect(r.result?.outcome, `devcontainer ${k} did not succeed (exit ${r.code}): ${JSON.stringify(r.result)}\n${r.log.slice(-3000)}`).toBe("success");
  return r;
}

const show = (c: DockerCall | undefined) => (c ? c.argv.join(" ") : "(none)");

/** The checks on the CLI's build of the project's Dockerfile, shared by `build` and `up`. */
function expectBuildsDevStage(r: CliRun, p: Project) {
  const builds = mainBuilds(r.calls);
  expect(builds, `image builds: ${builds.map(show).join("\n")}`).toHaveLength(1);
  const b = builds[0]!;
  // The project's Dockerfile names the stage; devcontainer.json selects it.
  expect(p.dockerfile).toMatch(/^FROM \S+ AS dev$/m);
  expect(p.devcontainerJson).toMatch(/"target":\s*"dev"/);
  // What the CLI passes: its own final stage, FROM the stage named by the build arg.
  expect(b.argv.filter((a, i) => b.argv[i - 1] === "--target"), show(b)).toEqual(["dev_containers_target_stage"]);
  expect(buildArg(b, "_DEV_CONTAINERS_BASE_IMAGE"), show(b)).toBe("dev");
  expect(b.dockerfile, "the Dockerfile the CLI built").toMatch(/^FROM \$_DEV_CONTAINERS_BASE_IMAGE AS dev_containers_target_stage$/m);
  expect(b.dockerfile).toMatch(/^FROM \S+ AS dev$/m);
  // No build asks for GPUs (docker build has no such flag; a stray one would fail the build).
  expect(r.calls.filter((c) => isBuild(c) && c.argv.some((a) => a.startsWith("--gpus"))).map(show)).toEqual([]);
}

describe.skipIf(!hasDevcontainerCli)("Dev Containers CLI on the generated devcontainer.json (stand-in docker)", () => {
  beforeAll(() => {
    // All runs at once: each is ~20 short docker calls, mostly process start-up.
    for (const { gpus } of GPU_CASES) {
      const p = project(gpus);
      projects.set(gpus, p);
      start(key("build", gpus), "build", p, true);
      for (const nvidia of [true, false]) start(key("up", gpus, nvidia), "up", p, nvidia);
    }
  });

  afterAll(async () => {
    const done = await Promise.allSettled(runs.values());
    for (const d of done) if (d.status === "fulfilled") cleanup.push(d.value.dir);
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  }, TIMEOUT);

  describe.each(GPU_CASES)("--gpus $gpus", ({ gpus, want }) => {
    it("devcontainer build: builds the Dockerfile's dev stage and runs nothing", async () => {
      const r = await run(key("build", gpus));
      expectBuildsDevStage(r, projects.get(gpus)!);
      expect(runCalls(r.calls)).toEqual([]);
      expect(uidBuilds(r.calls), "`devcontainer build` does not remap the UID").toEqual([]);
    }, TIMEOUT);

    describe.each([
      { nvidia: true, runtime: "listed" },
      { nvidia: false, runtime: "not listed" },
    ])("devcontainer up, nvidia runtime $runtime by docker info", ({ nvidia }) => {
      it("builds the Dockerfile's dev stage", async () => {
        expectBuildsDevStage(await run(key("up", gpus, nvidia)), projects.get(gpus)!);
      }, TIMEOUT);

      // --gpus all is asked through hostRequirements.gpu: the CLI adds it where Docker lists the
      // NVIDIA runtime (the host script registers it with nvidia-ctk runtime configure), and the
      // container still starts, without GPUs, where it does not (review D10, point 3).
      const expected = !nvidia && gpus === "all" ? null : want;
      it(expected ? `docker run carries exactly one GPU request, for --gpus ${gpus}` : "docker run carries no GPU request", async () => {
        const want = expected;
        const r = await run(key("up", gpus, nvidia));
        const runsIssued = runCalls(r.calls);
        expect(runsIssued, "docker run calls").toHaveLength(1);
        const requests = gpuRequests(runsIssued[0]!.argv);
        const context = `docker ${show(runsIssued[0])}\n(devcontainer.json: ${projects.get(gpus)!.devcontainerJson.replace(/^\/\/.*\n/gm, "").replace(/\s+/g, " ")})`;
        if (want === null) {
          expect(requests.map((q) => q.given), context).toEqual([]);
        } else {
          expect(requests.map((q) => q.given), context).toHaveLength(1);
          expect({ ...requests[0]!, given: undefined }, context).toEqual({ given: undefined, ...want });
        }
      }, TIMEOUT);
    });

    it(`devcontainer up as host UID ${HOST_UID}: the remote user can write to the venv`, async () => {
      const r = await run(key("up", gpus, true));
      const p = projects.get(gpus)!;
      const venv = /VIRTUAL_ENV=(\S+)/.exec(p.dockerfile)?.[1] ?? "/opt/venv";
      const remoteUser = /"remoteUser":\s*"([^"]+)"/.exec(p.devcontainerJson)?.[1];
      const [main] = mainBuilds(r.calls);
      const uid = uidBuilds(r.calls);
      if (uid.length === 0) {
        // (a) No remap: the image build itself must create the user with the host's UID.
        expect(buildArg(main!, "USER_UID"), `no updateUID build, so the image build must create ${remoteUser} with the host UID: docker ${show(main)}`).toBe(String(HOST_UID));
        return;
      }
      // The CLI remaps the remote user to the host UID/GID and re-owns only that user's home folder
      // (scripts/updateUID.Dockerfile: chown -R $NEW_UID:$NEW_GID $HOME_FOLDER).
      expect(uid, "one updateUID build").toHaveLength(1);
      expect(buildArg(uid[0]!, "REMOTE_USER")).toBe(remoteUser);
      expect(buildArg(uid[0]!, "NEW_UID")).toBe(String(HOST_UID));
      expect(buildArg(uid[0]!, "NEW_GID")).toBe(String(HOST_GID));
      const home = `/home/${remoteUser}`;
      // (b) The venv lies in the home folder, which the remap re-owns.
      if (venv.startsWith(home + "/")) return;
      // (c) The venv stays writable through a group the remap leaves alone.
      expect(
        venvGroupProblems(p.dockerfile, remoteUser!, venv),
        `the CLI remaps ${remoteUser} to UID ${HOST_UID}:${HOST_GID} (docker ${show(uid[0])}) but re-owns only ${home}, so ${venv} keeps the build's owner (UID ${buildArg(main!, "USER_UID") ?? 1000}). ` +
          `Ways out: "updateRemoteUserUID": false with build.args.USER_UID from the host, the venv in ${home}, or a venv group; that last is not in place`,
      ).toEqual([]);
    }, TIMEOUT);
  });
});
