// `mokutil --sb-state`: "SecureBoot enabled" / "SecureBoot disabled"; a machine without EFI
// variables (legacy BIOS boot, many cloud VMs) has no Secure Boot to enforce.
export function parseMokutil(text: string): { secureBoot?: boolean } {
  if (/SecureBoot enabled/i.test(text)) return { secureBoot: true };
  if (/SecureBoot disabled/i.test(text)) return { secureBoot: false };
  if (/EFI variables are not supported|doesn't support Secure Boot/i.test(text)) return { secureBoot: false };
  return {};
}
