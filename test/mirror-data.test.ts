// matrix/mirrors.yaml: every endpoint the data's URLs point at is one of its endpoints (so nothing
// the output fetches stays hard-coded), each preset says for every endpoint either its mirror or
// why there is none, and the mirror-file schema names the same endpoints.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { matrix } from "../src/matrix/data.js";
import { tool } from "../src/matrix/lookup.js";
import { endpointOf } from "../src/mirrors/mirror-set.js";
import { prefixPattern } from "../src/mirrors/stack-endpoints.js";
import { mirrorValueProblem, urlProblem } from "../src/mirrors/mirror-values.js";
import { ROOT } from "./support/shared.js";

const endpoints = matrix.mirrors.endpoints;
const schema = JSON.parse(readFileSync(join(ROOT, "matrix/schema/mirror-file.schema.json"), "utf8")) as { definitions: { endpointId: { enum: string[] } } };

describe("endpoints", () => {
  it("the mirror-file schema names exactly the data's endpoints", () => {
    expect(schema.definitions.endpointId.enum).toEqual(endpoints.map((e) => e.id));
  });

  it("each has a build argument or a host script option, none shared", () => {
    for (const e of endpoints) expect(e.arg ?? e.option, e.id).toBeTruthy();
    const args = endpoints.flatMap((e) => (e.arg ? [e.arg] : []));
    expect(new Set(args).size).toBe(args.length);
  });

  it("every URL the framework data installs from is an endpoint's, with a build argument", () => {
    const urls = new Set<string>();
    for (const fw of Object.values(matrix.frameworks)) {
      for (const r of fw!.releases) for (const b of r.builds) for (const u of [b.indexUrl, b.extraIndexUrl, b.findLinks]) if (u) urls.add(u);
    }
    expect(urls.size).toBeGreaterThan(10);
    for (const url of urls) {
      const hit = endpointOf(matrix, url);
      expect(hit, url).not.toBeNull();
      expect(hit!.endpoint.arg, url).toBeTruthy();
    }
  });

  it("the tools' URLs and images are the endpoints'", () => {
    expect(endpointOf(matrix, tool(matrix, "cudaRepoBase"))?.endpoint.id).toBe("cuda-repo");
    expect(endpointOf(matrix, tool(matrix, "dockerRepoUrl"))?.endpoint.id).toBe("docker-ce");
    expect(endpointOf(matrix, tool(matrix, "containerToolkitRepoUrl"))?.endpoint.id).toBe("container-toolkit");
    expect(tool(matrix, "uvImage").startsWith("ghcr.io/")).toBe(true);
    expect(endpointOf(matrix, matrix.nvidiaPackages.mlRepo.url)?.endpoint.id).toBe("nvidia-ml-repo");
    // Every OS image is on Docker Hub (no registry host in its name), so DOCKER_HUB covers every FROM.
    for (const os of matrix.platform.os) expect(os.image.includes("/") && os.image.split("/")[0]!.includes("."), os.image).toBe(false);
  });

  it("a probe for each, on the endpoint's own host", () => {
    for (const e of endpoints) expect(urlProblem(e.probe, e.probe.startsWith("http://")), e.id).toBeNull();
  });
});

describe("presets", () => {
  it.each(Object.entries(matrix.mirrors.presets))("%s says, for every endpoint, its mirror or why there is none", (_name, preset) => {
    expect(Object.keys(preset.mirrors).sort()).toEqual(endpoints.map((e) => e.id).sort());
    for (const [id, entry] of Object.entries(preset.mirrors)) {
      const e = endpoints.find((x) => x.id === id)!;
      if ("url" in entry) expect(mirrorValueProblem(e, entry.url, false), `${id}: ${entry.url}`).toBeNull();
      else {
        expect(entry.none.length, id).toBeGreaterThan(40);
        expect(entry.reachWhy.length, id).toBeGreaterThan(20);
        for (const s of entry.reachSources) expect(s, id).toMatch(/^https:\/\//);
      }
      expect(entry.source).toMatch(/^https:\/\//);
    }
    for (const r of preset.registryMirrors ?? []) expect(urlProblem(r.url, false)).toBeNull();
  });

  it("cn covers what the issue lists: the package index, PyTorch wheels, Ubuntu/Rocky packages, NVIDIA's CUDA repositories, Docker CE, the toolkit, Docker Hub, uv's Python builds", () => {
    const cn = matrix.mirrors.presets.cn!;
    for (const id of ["pypi", "pytorch", "ubuntu", "rocky", "cuda-repo", "docker-ce", "container-toolkit", "docker-hub", "python-builds"]) expect("url" in cn.mirrors[id]!, id).toBe(true);
    // No trustworthy public mirror: said, not guessed.
    for (const id of ["ghcr", "jax-releases", "ubi"]) expect("none" in cn.mirrors[id]!, id).toBe(true);
    // Ubuntu on arm64 comes from the ports archive, which the amd64 archive's mirror does not carry.
    expect("url" in cn.mirrors["ubuntu-ports"]!).toBe(true);
    expect(cn.uv).toBe("index");
    expect(cn.registryMirrors?.length).toBeGreaterThan(0);
  });
});

describe("the sed pattern of an endpoint's public prefix", () => {
  it("matches every spelling the data gives it, and is for Ubuntu's archive the one the output has always had", () => {
    for (const e of endpoints.filter((x) => x.kind === "url")) {
      const pattern = new RegExp(`^${prefixPattern(e)}$`);
      for (const spelling of [e.upstream, ...(e.also ?? [])]) expect(pattern.test(spelling), `${e.id}: ${spelling}`).toBe(true);
    }
    expect(prefixPattern(endpoints.find((e) => e.id === "ubuntu")!)).toBe("https?://(archive|security)\\.ubuntu\\.com/ubuntu");
    expect(prefixPattern(endpoints.find((e) => e.id === "ubuntu-ports")!)).toBe("https?://ports\\.ubuntu\\.com/ubuntu-ports");
  });
});
