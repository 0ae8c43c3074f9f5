export { HidMapper, type HidReader, type MapperOptions, type Walk } from './mapper.js';
export type { FieldWrite, WriteResult } from './writes.js';
export { COMPOSITE_PAUSE_MS } from './writes.js';
export { SUBDRIVERS, GENERIC_SUBDRIVER, subdriverFor, quirksFor } from './subdrivers.js';
export { APC_SUBDRIVER, APC_USAGE_NAMES } from './apc.js';
export { CPS_SUBDRIVER, CPS_USAGE_NAMES } from './cps.js';
export { MGE_SUBDRIVER, MGE_USAGE_NAMES } from './mge.js';
export { TRIPPLITE_SUBDRIVER, TRIPPLITE_USAGE_NAMES } from './tripplite.js';
export type { DescriptorView, DeviceQuirks, Identity, MappingRow, RowFlags, Subdriver } from './types.js';
