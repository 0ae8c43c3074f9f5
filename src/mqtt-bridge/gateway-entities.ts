import type { EntityBase } from './ups-entities.js';

/**
 * The gateway's own Home Assistant device, read from the JSON on `<base>/bridge`
 * (gateway-diagnostics.ts). All diagnostic: they explain a flapping UPS, they are not the UPS.
 */
export interface GatewayEntity extends EntityBase {
  platform: 'sensor';
}

export function gatewayEntities(): GatewayEntity[] {
  return [
    { key: 'version', platform: 'sensor', name: 'Version', icon: 'mdi:tag-outline', category: 'diagnostic' },
    // uptime_s rather than started_at: it comes from the monotonic clock, so it is right even on a
    // Pi without an RTC that started before NTP set the time. No state_class: a saw-tooth of
    // restarts makes no useful long-term statistic.
    { key: 'uptime_s', platform: 'sensor', name: 'Uptime', deviceClass: 'duration', unit: 's', precision: 0, category: 'diagnostic' },
    { key: 'nut_clients', platform: 'sensor', name: 'NUT clients', icon: 'mdi:lan-connect', stateClass: 'measurement', category: 'diagnostic' },
    { key: 'driver_drops', platform: 'sensor', name: 'Driver drops', icon: 'mdi:connection', stateClass: 'total_increasing', category: 'diagnostic' },
    { key: 'driver_recoveries', platform: 'sensor', name: 'Driver recoveries', icon: 'mdi:restore', stateClass: 'total_increasing', category: 'diagnostic' },
  ];
}
