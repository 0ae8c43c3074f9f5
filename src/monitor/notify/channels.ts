/** The channels upsgate.json configures, ready for the dispatcher. */
import { hostname as osHostname } from 'node:os';
import type { GatewaySettings } from '../../conf/settings-model.js';
import type { NotificationChannel } from './channel.js';
import { createEmailChannel } from './email.js';
import { createWebhookChannel } from './webhook.js';

export function createChannels(notify: GatewaySettings['notify'], deps: { hostname?: string } = {}): NotificationChannel[] {
  const hostname = deps.hostname ?? osHostname();
  const channels: NotificationChannel[] = [];
  if (notify.email) channels.push(createEmailChannel(notify.email, { hostname }));
  for (const hook of notify.webhooks) channels.push(createWebhookChannel(hook, { hostname }));
  return channels;
}
