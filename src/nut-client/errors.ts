/**
 * The two ways a NUT conversation fails: the server answered `ERR <code>` (NutError; the
 * connection is fine and can go on), or the connection itself is unusable (NutConnectionError;
 * it has been dropped). Messages are libupsclient's, so the tools can print what upsc prints.
 */

/**
 * libupsclient maps an `ERR` line to a text by prefix match, in this order: a code it does not
 * know (INVALID-ARGUMENT, FEATURE-NOT-CONFIGURED, a tracking result …) is "Unknown error".
 */
const UPSCLI_TEXTS: ReadonlyArray<readonly [code: string, text: string]> = [
  ['VAR-NOT-SUPPORTED', 'Variable not supported by UPS'],
  ['UNKNOWN-UPS', 'Unknown UPS'],
  ['ACCESS-DENIED', 'Access denied'],
  ['PASSWORD-REQUIRED', 'Password required'],
  ['PASSWORD-INCORRECT', 'Password incorrect'],
  ['MISSING-ARGUMENT', 'Missing argument'],
  ['DATA-STALE', 'Data stale'],
  ['VAR-UNKNOWN', 'Variable unknown'],
  ['ALREADY-LOGGED-IN', 'Already logged in'],
  ['ALREADY-SET-PASSWORD', 'Already set password'],
  ['UNKNOWN-TYPE', 'Unknown variable type'],
  ['UNKNOWN-VAR', 'Unknown variable'],
  ['READONLY', 'Read-only variable'],
  ['TOO-LONG', 'New value is too long'],
  ['INVALID-VALUE', 'Invalid value for variable'],
  ['SET-FAILED', 'Set command failed'],
  ['UNKNOWN-INSTCMD', 'Unknown instant command'],
  ['INSTCMD-FAILED', 'Instant command failed'],
  ['CMD-NOT-SUPPORTED', 'Instant command not supported'],
  ['INVALID-USERNAME', 'Invalid username'],
  ['ALREADY-SET-USERNAME', 'Already set username'],
  ['UNKNOWN-COMMAND', 'Unknown command'],
  ['INVALID-PASSWORD', 'Invalid password'],
  ['USERNAME-REQUIRED', 'Username required'],
  ['DRIVER-NOT-CONNECTED', 'Driver not connected'],
];

/** The text libupsclient gives an `ERR …` reply line. */
export function upscliErrorText(line: string): string {
  const rest = line.slice(4);
  for (const [code, text] of UPSCLI_TEXTS) if (rest.startsWith(code)) return text;
  return 'Unknown error';
}

/** The server refused a request: `ERR <code>`. */
export class NutError extends Error {
  override readonly name = 'NutError';
  /** The reply line as received (`ERR ACCESS-DENIED`), for tools that print it as is. */
  readonly line: string;

  constructor(
    readonly code: string,
    line = `ERR ${code}`,
  ) {
    super(upscliErrorText(line));
    this.line = line;
  }
}

/**
 * Why a connection became unusable. `no-such-host` and `connect` happen before any byte was
 * exchanged; `tls` covers a refused STARTTLS under 'require' and a failed handshake or check.
 */
export type ConnectionFailure = 'no-such-host' | 'connect' | 'timeout' | 'closed' | 'protocol' | 'parse' | 'tls' | 'io' | 'local';

export class NutConnectionError extends Error {
  override readonly name = 'NutConnectionError';

  constructor(
    /** `host:port` (IPv6 hosts in brackets). */
    readonly where: string,
    readonly kind: ConnectionFailure,
    why: string,
    /** The system error code behind it (ECONNREFUSED, ENOTFOUND …), if any. */
    readonly errno?: string,
  ) {
    super(`${where}: ${why}`);
  }

  /** What libupsclient would report for this failure ("Connection failure: Connection refused"). */
  get upscliText(): string {
    switch (this.kind) {
      case 'no-such-host':
        return 'No such host';
      case 'connect':
        return `Connection failure: ${strerror(this.errno)}`;
      case 'protocol':
        return 'Protocol error';
      case 'parse':
        return `Parse error: ${this.message.slice(this.where.length + 2).replace(/^reply does not parse: /, '')}`;
      case 'tls':
        return this.errno === 'REFUSED' ? 'SSL is not available' : `SSL error: ${this.message.slice(this.where.length + 2)}`;
      case 'io':
        return `Read error: ${strerror(this.errno)}`;
      case 'timeout':
      case 'closed':
      case 'local':
        // libupsclient reads with a timeout and calls both a silent and a closed peer this.
        return 'Server disconnected';
    }
  }
}

/** The message libupsclient's `upscli_strerror` gives any error our client produced. */
export function upscliText(e: unknown): string {
  if (e instanceof NutError || e instanceof NutConnectionError) return e instanceof NutError ? e.message : e.upscliText;
  return e instanceof Error ? e.message : String(e);
}

/** glibc's strerror texts for the errors a TCP client meets. */
const STRERROR: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EPIPE: 'Broken pipe',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EINVAL: 'Invalid argument',
};

export function strerror(errno: string | undefined): string {
  return (errno && STRERROR[errno]) ?? errno ?? 'Unknown error';
}
