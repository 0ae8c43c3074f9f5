/**
 * What the history keeps, and at which resolutions. Shared by the store and its file format so
 * neither has to import the other.
 */
export const HISTORY_FIELDS = ['charge', 'runtime', 'load', 'inputVoltage', 'outputVoltage', 'realpower'] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];

export const HISTORY_RANGES = ['24h', '7d'] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];

/**
 * Bucket width and count per chart: a point a minute over 24 h (1440) and one every 10 minutes
 * over 7 days (1008). More points than a chart has pixels would only cost memory.
 */
export const RANGE_SPECS: Readonly<Record<HistoryRange, { readonly bucketMs: number; readonly capacity: number }>> = {
  '24h': { bucketMs: 60_000, capacity: 1440 },
  '7d': { bucketMs: 600_000, capacity: 1008 },
};

export function isHistoryField(name: string): name is HistoryField {
  return (HISTORY_FIELDS as readonly string[]).includes(name);
}

export function isHistoryRange(name: string): name is HistoryRange {
  return (HISTORY_RANGES as readonly string[]).includes(name);
}
