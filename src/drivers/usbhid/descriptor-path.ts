/**
 * HID paths as NUT writes them: node names joined with '.', a node the subdriver's table names
 * by its name, an index node (0x00FFnnnn, pushed by a vendor "indexed" collection) as `[n]`, any
 * other usage as 8 lower-case hex digits (`UPS.ff860005.ff86007c`).
 */
import type { UsageNames } from './usage-names.js';

/** Index nodes live on the reserved page 0x00FF. */
export const INDEX_PAGE = 0x00ff0000;

export function isIndexNode(node: number): boolean {
  return (node & 0xffff0000) >>> 0 === INDEX_PAGE;
}

export function nodeName(node: number, names: UsageNames): string {
  // NUT asks the tables first, so a named usage never prints as an index.
  const named = names.nameOf(node);
  if (named !== undefined) return named;
  if (isIndexNode(node)) return `[${node & 0xffff}]`;
  return (node >>> 0).toString(16).padStart(8, '0');
}

export function pathString(nodes: readonly number[], names: UsageNames): string {
  return nodes.map((n) => nodeName(n, names)).join('.');
}

/**
 * The usages a path string stands for, or undefined when a node is neither a name of the table,
 * nor hex (`ff860060`, up to 8 digits as NUT's strtol takes them), nor an index `[n]`. NUT skips
 * a node it cannot read and looks up the shorter path; that can find an unrelated item, so here
 * such a path finds nothing.
 */
export function parsePath(path: string, names: UsageNames): number[] | undefined {
  const nodes: number[] = [];
  for (const token of path.split('.')) {
    const named = names.usageOf(token);
    if (named !== undefined) nodes.push(named);
    else if (/^[0-9a-fA-F]{1,8}$/.test(token)) nodes.push(Number.parseInt(token, 16));
    else if (/^\[\d{1,5}\]$/.test(token) && Number(token.slice(1, -1)) <= 0xffff) nodes.push(INDEX_PAGE + Number(token.slice(1, -1)));
    else return undefined;
  }
  return nodes;
}
