import { COMMANDS } from './commands/index.js';
import type { ServerContext } from './context.js';
import { err } from './reply.js';
import type { Session } from './session.js';

/**
 * One request line, already split into words, to one reply — upsd's parse_net + check_command.
 * Never throws: a handler bug costs this request an error reply, not the connection or the server.
 */
export function dispatch(ctx: ServerContext, session: Session, words: readonly string[]): string {
  const first = words[0];
  const spec = first === undefined ? undefined : COMMANDS.get(first.toUpperCase());
  if (!spec) return err('UNKNOWN-COMMAND');
  if (spec.needsCredentials) {
    if (session.username === undefined) return err('USERNAME-REQUIRED');
    if (session.password === undefined) return err('PASSWORD-REQUIRED');
  }
  try {
    return spec.run(ctx, session, words.slice(1));
  } catch (error) {
    ctx.log.error(`request ${first} from ${session.address} failed: ${String(error)}`);
    return err('UNKNOWN-COMMAND');
  }
}
