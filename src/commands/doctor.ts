export function doctor(_opts: { from?: string; json?: boolean }, print: (s: string) => void): number {
  print("doctor: not wired yet");
  return 1;
}
