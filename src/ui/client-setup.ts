/**
 * Ready-to-paste set-up for the NUT clients people point at a box like this one. What each
 * needs comes from ECOSYSTEM.md §2.8–2.9: Linux (and Proxmox, which is Debian) run upsmon;
 * TrueNAS's UPS screen takes the remote host, port, UPS name and a login; Synology DSM takes only
 * the address and insists on UPS "ups", user "monuser", password "secret"; QNAP likewise uses
 * "qnapups" with admin/123456.
 */
import { networkInterfaces } from 'node:os';

export interface ClientRecipe {
  id: string;
  title: string;
  /** Steps in words, then the text to paste (if any). */
  steps: string[];
  paste: string | undefined;
}

export interface SetupFacts {
  /** The address LAN clients should use. */
  host: string;
  port: number;
  ups: string;
  user: string;
  /** False when upsd listens on loopback only: nothing on the LAN can connect yet. */
  reachable: boolean;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);
const LOOPBACK = /^(127\.|::1$|localhost$)/;

/** The address to show: a listener bound to a LAN address, else this box's first LAN IPv4 address. */
export function lanAddress(listeners: { host: string; port: number }[]): { host: string; port: number; reachable: boolean } {
  const port = listeners[0]?.port ?? 3493;
  const specific = listeners.find((l) => !WILDCARDS.has(l.host) && !LOOPBACK.test(l.host));
  if (specific) return { host: specific.host, port: specific.port, reachable: true };
  const wildcard = listeners.find((l) => WILDCARDS.has(l.host));
  const lan = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4');
  return { host: lan?.address ?? '<this box\'s address>', port: wildcard?.port ?? port, reachable: wildcard !== undefined };
}

export function clientRecipes(f: SetupFacts): ClientRecipe[] {
  const target = f.port === 3493 ? `${f.ups}@${f.host}` : `${f.ups}@${f.host}:${f.port}`;
  return [
    {
      id: 'linux', title: 'Linux (upsmon)',
      steps: ['apt install nut-client', 'In /etc/nut/nut.conf set MODE=netclient', 'Add to /etc/nut/upsmon.conf (the password is the one of this user in upsd.users):', 'systemctl restart nut-monitor'],
      paste: `MONITOR ${target} 1 ${f.user} <password> secondary`,
    },
    {
      id: 'proxmox', title: 'Proxmox VE',
      steps: ['On each node: apt install nut-client', 'In /etc/nut/nut.conf set MODE=netclient', 'Add to /etc/nut/upsmon.conf:', 'systemctl restart nut-monitor; guests are shut down by the node\'s own shutdown'],
      paste: `MONITOR ${target} 1 ${f.user} <password> secondary`,
    },
    {
      id: 'truenas', title: 'TrueNAS (Services → UPS)',
      steps: ['UPS Mode: Slave', `Identifier: ${f.ups}`, `Remote Hostname: ${f.host}`, `Remote Port: ${f.port}`, `Monitor User: ${f.user}`, 'Monitor Password: the password of that user', 'Shutdown Mode: as you like (UPS reaches low battery is NUT\'s default)'],
      paste: undefined,
    },
    {
      id: 'synology', title: 'Synology DSM',
      steps: ['Control Panel → Hardware & Power → UPS: enable UPS support, UPS type "Synology UPS server" (network UPS)', `Network UPS server IP: ${f.host}`,
        'DSM always asks for UPS "ups" as user "monuser" with password "secret": turn on the compatibility alias below for this to work'],
      paste: undefined,
    },
    {
      id: 'qnap', title: 'QNAP QTS',
      steps: ['Control Panel → System → External Device → UPS: "Network UPS slave"', `IP address of the network UPS server: ${f.host}`,
        'QTS asks for UPS "qnapups" as user "admin" with password "123456": turn on the compatibility alias below for this to work'],
      paste: undefined,
    },
  ];
}
