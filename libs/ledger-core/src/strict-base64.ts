// Internal to ledger-core (not re-exported): signed notes and checkpoints need base64 that has
// exactly one spelling per byte string, because Buffer.from(s, 'base64') silently skips invalid
// characters, accepts missing padding and ignores non-zero padding bits. With the lenient decoder
// a changed signature or root character could decode to the same bytes and go unnoticed.

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes RFC 4648 §4 standard base64 (with padding), or returns undefined unless `text` is the
 * canonical encoding of the bytes it decodes to.
 */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (!STANDARD_BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}
