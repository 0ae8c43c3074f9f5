/**
 * cmdvartab (in upsd.conf's DATAPATH): `VARDESC <name> "<text>"` and `CMDDESC <name> "<text>"`
 * lines give the answers to GET DESC / GET CMDDESC. As in upsd, a later line for the same name
 * (any case) replaces an earlier one, and lines with other keywords are ignored.
 */
import { Descriptions } from '../core/descriptions.js';
import { errorAt, readConfLines, showLine } from './conf-lines.js';

export function parseCmdvartab(text: string | Uint8Array, file: string): Descriptions {
  const variables = new Map<string, string>();
  const commands = new Map<string, string>();
  for (const words of readConfLines(text, file)) {
    const [keyword, name, description, extra] = words;
    const table = keyword?.text === 'VARDESC' ? variables : keyword?.text === 'CMDDESC' ? commands : undefined;
    if (!table || !keyword) continue;
    if (!name || !description || extra) {
      const at = extra ?? keyword;
      throw errorAt(file, at, `${showLine(words)}: NUT ${extra ? 'uses only the first three words' : 'skips this line'}; ` +
        `write ${keyword.text} <name> "<description>" (quote the description)`);
    }
    table.set(name.text.toLowerCase(), description.text);
  }
  return new Descriptions(variables, commands);
}
