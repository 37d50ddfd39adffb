// Data older than 120 days says so, naming asOf (issue 14).
import { describe, expect, it } from "vitest";
import { staleDataNotice } from "../src/matrix/staleness.js";

describe("stale data notice", () => {
  it.each([
    ["2026-11-29", "2026-12-01", null],
    ["2026-11-29", "2027-03-29", null],
    ["2026-11-29", "2027-03-30", "note: cuda-scaffold's data is as of 2026-11-29 (121 days ago)"],
  ])("asOf %s on %s", (asOf, today, want) => {
    const notice = staleDataNotice(asOf, new Date(`${today}T12:00:00Z`));
    if (want === null) expect(notice).toBeNull();
    else expect(notice).toContain(want);
  });
});
