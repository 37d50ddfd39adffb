// The data's age: facts are checked as of matrix/platform.yaml's `asOf`. Past 120 days, newer
// framework releases, CUDA versions and image lifecycle changes are likely missing.
const STALE_AFTER_DAYS = 120;

/** A one-line notice when the data is older than 120 days on `today`, else null. */
export function staleDataNotice(asOf: string, today: Date): string | null {
  const days = Math.floor((today.getTime() - Date.parse(`${asOf}T00:00:00Z`)) / 86_400_000);
  if (!(days > STALE_AFTER_DAYS)) return null;
  return `note: cuda-scaffold's data is as of ${asOf} (${days} days ago): newer releases and image lifecycle changes may be missing. Update cuda-scaffold (npx cuda-scaffold@latest).`;
}
