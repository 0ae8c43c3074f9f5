import type { HidField } from '../hid-types.js';
import type { DescriptorView } from './types.js';

/**
 * NUT's FindObject_with_ID_Node: the fields of one report ID whose last path node is `usage`
 * (the vendor fixes name a field that way, whatever its collection).
 */
export function fieldsWithIdAndUsage(d: DescriptorView, reportId: number, usage: number): HidField[] {
  return d.fields.filter((f) => f.reportId === reportId && f.nodes[f.nodes.length - 1] === usage);
}
