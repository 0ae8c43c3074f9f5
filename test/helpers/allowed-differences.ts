// THE ONE PLACE where the interop tests forgive differences between real NUT (upsd 2.8.0 +
// dummy-ups) and upsgate. Everything not rewritten here must match byte for byte.
//
// Allowed, and why:
//   1. The reply to VER: it names the server and its version. No client parses it (PROTOCOL.md §1.3).
//   2. The values of server.info and server.version (GET VAR <ups> server.*): same reason.
//   3. The values, never the names, of driver.* variables (driver.version, driver.version.internal,
//      …): upsgate's drivers are not NUT's binaries and may say so.
//   4. Instant-command/SET tracking ids: random by design; only their shape is compared
//      (upper-case UUID, as upsd prints them).
// HELP is NOT in the list: upsd 2.8.0's HELP text is fixed and upsgate must send the same.

const UUID_UPPER = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

/** The first word of a request as upsd's tokenizer would see it (quotes/escapes removed, case folded). */
function commandWord(request: string): string {
  const word = request.replace(/[^\x20-\x7e\t\r\n]/g, '').trim().split(/\s+/)[0] ?? '';
  return word.replace(/["\\]/g, '').toUpperCase();
}

/** One reply line: rules 2, 3, 4. */
function normaliseLine(line: string): string {
  // 2. VAR <ups> server.info|server.version "<value>"
  let m = /^(VAR \S+ (?:server\.info|server\.version)) ".*"$/i.exec(line);
  if (m) return `${m[1]} "<server version>"`;
  // 3. VAR <ups> driver.<anything> "<value>"
  m = /^(VAR \S+ driver\.\S+) ".*"$/i.exec(line);
  if (m) return `${m[1]} "<driver value>"`;
  // 4. OK TRACKING <id>
  m = /^OK TRACKING (\S+)$/.exec(line);
  if (m && UUID_UPPER.test(m[1]!)) return 'OK TRACKING <upper-case uuid>';
  return line;
}

/**
 * Normalises a reply (one line or a LIST block joined with "\n") to a request sent on the wire.
 * Applied identically to both servers' replies before they are compared.
 */
export function normaliseReply(request: string, reply: string): string {
  // 1. VER (and only a successful one: `VER x` must still give ERR INVALID-ARGUMENT on both).
  if (commandWord(request) === 'VER' && !reply.includes('\n') && !reply.startsWith('ERR ') && reply !== 'NO-REPLY' && reply !== 'CLOSED') {
    return '<VER banner>';
  }
  return reply.split('\n').map(normaliseLine).join('\n');
}

/**
 * Normalises the output of NUT's command-line clients (upsc, upscmd, upsrw): rule 3 as upsc
 * prints it (`driver.version: 2.8.0`). `port` values of the two servers are the harness's own
 * difference and are replaced too.
 */
export function normaliseCliOutput(text: string, ports: number[] = []): string {
  let out = text.replace(/^(driver\.[^:\s]+): .*$/gm, '$1: <driver value>');
  for (const p of ports) out = out.split(String(p)).join('<PORT>');
  return out;
}

/** Rule 3 for a variable → value map (e.g. what PyNUT's GetUPSVars returns). */
export function normaliseVarMap(vars: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars)) out[k] = /^driver\./i.test(k) ? '<driver value>' : v;
  return out;
}

/** True if `id` has the shape upsd gives tracking ids. */
export function isTrackingId(id: string): boolean {
  return UUID_UPPER.test(id);
}
