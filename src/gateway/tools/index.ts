/** The NUT command-line tools upsgate carries, by the name they are called with. */
export const NUT_TOOLS = ['upsc', 'upscmd', 'upsrw'] as const;
export type NutToolName = (typeof NUT_TOOLS)[number];

export function isNutTool(name: string | undefined): name is NutToolName {
  return (NUT_TOOLS as readonly string[]).includes(name ?? '');
}

/** Runs a tool with NUT-style arguments; resolves with its exit code. */
export async function runNutTool(name: NutToolName, argv: readonly string[]): Promise<number> {
  switch (name) {
    case 'upsc':
      return (await import('./upsc.js')).upsc(argv);
    case 'upscmd':
      return (await import('./upscmd.js')).upscmd(argv);
    case 'upsrw':
      return (await import('./upsrw.js')).upsrw(argv);
  }
}
