// An assertion failure whose (multi-line) message uvu prints as it is: without a stack, uvu
// would otherwise repeat the message from the stack with every "\" turned into "/".
export function failure(message: string): Error {
  const err = new Error(message);
  err.stack = '';
  return err;
}
