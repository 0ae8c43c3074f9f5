/** A problem found while starting that the user must fix; its message says what and where. */
export class StartupError extends Error {
  override name = 'StartupError';
}
