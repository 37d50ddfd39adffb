// The dev target's nvcc: the newest patch of the stack's CUDA minor comes from NVIDIA's repository;
// a --driver that meets only the minor's first release still serves it, by NVIDIA's minor version
// compatibility, cited from matrix/cuda.yaml (minorVersionCompatibility).
import { describe, expect, it } from "vitest";
import { matrix, type Matrix } from "../src/matrix/data.js";
import { resolveStack } from "../src/resolve/resolve-stack.js";
import { request } from "./support/render.js";

const nvccFloor = (m: Matrix, driver?: string) => {
  const res = resolveStack(request(["torch@2.5.1"], driver ? { driver } : {}), m);
  return { res, floor: res.driverFloors.find((f) => f.why.startsWith("nvcc ")) };
};

describe("the dev target's nvcc floor", () => {
  it.each([
    // CUDA 12.4: 12.4.0 needs 550.54.14, 12.4.1 needs 550.54.15.
    [undefined, "550.54.15", "nvcc 12.4.1 in the dev target, from NVIDIA's repository"],
    ["550.54.15", "550.54.15", "nvcc 12.4.1 in the dev target, from NVIDIA's repository"],
    ["550.54.14", "550.54.14", "nvcc 12.4 in the dev target (any 12.4 patch: they share the PTX ISA, and minor version compatibility covers the libraries)"],
  ])("--driver %s: %s", (driver, floor, why) => {
    const { floor: f } = nvccFloor(matrix, driver);
    expect(f).toMatchObject({ driver: floor, why });
  });

  it("cites the data's source for minor version compatibility", () => {
    const m = JSON.parse(JSON.stringify(matrix)) as Matrix;
    m.cuda.minorVersionCompatibility.source = "https://example.org/minor-version-compatibility";
    const { res, floor } = nvccFloor(m, "550.54.14");
    expect(floor?.source).toBe("https://example.org/minor-version-compatibility");
    expect(res.explain.sources).toContain("https://example.org/minor-version-compatibility");
    expect(nvccFloor(matrix, "550.54.14").floor?.source).toBe(matrix.cuda.minorVersionCompatibility.source);
  });
});
