import { COMMAND_DESCRIPTIONS, VARIABLE_DESCRIPTIONS } from './nut-descriptions.js';

/**
 * Descriptions for GET DESC / GET CMDDESC. upsd answers for any name, whether or not the UPS has
 * it, and names are matched without regard to case. `undefined` means "no description", which
 * upsd sends as `Description unavailable`.
 */
export class Descriptions {
  constructor(
    private readonly variables: ReadonlyMap<string, string>,
    private readonly commands: ReadonlyMap<string, string>,
  ) {}

  static standard(): Descriptions {
    return new Descriptions(VARIABLE_DESCRIPTIONS, COMMAND_DESCRIPTIONS);
  }

  /** An empty table: what upsd serves when its DATAPATH has no cmdvartab. */
  static none(): Descriptions {
    return new Descriptions(new Map(), new Map());
  }

  variable(name: string): string | undefined {
    return this.variables.get(name.toLowerCase());
  }

  command(name: string): string | undefined {
    return this.commands.get(name.toLowerCase());
  }
}
