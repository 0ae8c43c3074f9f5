/**
 * Command-line parsing. Every option has a settings-file twin later (same name in camelCase), so
 * parsing yields plain data and nothing else.
 */
import { checkGatewayId, checkMqttUrl, MqttValueError, parseListenAddress, type ListenAddress } from '../conf/mqtt-values.js';
import { LEVELS, type Level } from '../core/logger.js';

export type CommandName = 'run' | 'check-config' | 'killpower' | 'scan' | 'hid-dump' | 'version' | 'help';

export interface CliOptions {
  command: CommandName;
  /** A NUT configuration folder (ups.conf, upsd.conf, upsd.users); absent = the built-in simulated UPS. */
  nutConf: string | undefined;
  logLevel: Level;
  /** hid-dump's recorded device file. */
  file?: string;
  /** scan: NUT servers to ask (`--nut HOST[:PORT]`, repeatable); never a sweep. */
  scanNut: string[];
  /** scan: SNMP cards to ask (`--snmp HOST[:PORT]`, repeatable), with `--community` (default public). */
  scanSnmp: string[];
  community: string;
  /** scan: list serial ports (`--serial`), and probe the ones named (`--probe PATH`, repeatable). */
  scanSerial: boolean;
  probe: string[];
  /** `--mqtt URL`: the broker of the MQTT bridge (overrides upsgate.json's mqtt.url). */
  mqttUrl?: string;
  /** `--mqtt-broker [HOST:]PORT`, repeatable: run the embedded broker there (replaces mqtt.broker.listen). */
  mqttBroker: ListenAddress[];
  /** `--gateway-id ID`: overrides mqtt.gatewayId. */
  gatewayId?: string;
  /** `--http [HOST:]PORT`: serve the web UI there (overrides upsgate.json's http.listen). */
  http?: ListenAddress;
}

/** The host of a bare `--mqtt-broker PORT`: loopback, so nothing is reachable from the LAN unless asked. */
export const MQTT_BROKER_DEFAULT_HOST = '127.0.0.1';

export class UsageError extends Error {}

export const HELP = `upsgate — a UPS gateway that speaks NUT

Usage:
  upsgate run [--nut-conf DIR] [--http [HOST:]PORT] [--mqtt URL]
              [--mqtt-broker [HOST:]PORT]... [--gateway-id ID] [--log-level LEVEL]
  upsgate check-config [--nut-conf DIR] [--mqtt URL] [--mqtt-broker [HOST:]PORT]...
  upsgate killpower --nut-conf DIR
  upsgate scan [--nut HOST[:PORT]]... [--snmp HOST[:PORT]]... [--community C]
               [--serial] [--probe SERIALPORT]...
  upsgate hid-dump FILE
  upsgate first-boot [--boot DIR] [--root DIR] [--state DIR]
  upsgate version
  upsgate --help

Commands:
  run            Drive the UPSes and serve them over the NUT protocol (TCP 3493).
                 Without --nut-conf: one simulated UPS named "ups", served on
                 127.0.0.1 and ::1 port 3493 ("upsc ups@localhost" shows it).
  check-config   Read the configuration, report every problem with file:line:column,
                 and exit 0 when it is good.
  killpower      For the late-shutdown hook: when upsmon.conf's POWERDOWNFLAG
                 exists (written by the shutdown sequence), tell each UPS to cut
                 the load and come back with mains (driver.killpower, else
                 shutdown.return, or the section's sdcommands), in ups.conf sdorder order; -1 is left on.
                 Without the flag it does nothing. Exit 1 if a UPS refused.
  scan           List the USB HID UPSes attached, each as a ready ups.conf section
                 (driver = "usbhid-ups" with its vendorid, productid, serial …); with
                 --nut HOST[:PORT], also the UPSes of those NUT servers, as sections
                 for dummy-ups in repeater mode; with --snmp HOST[:PORT], an SNMP
                 card as an snmp-ups section (its MIB chosen as mibs = auto does);
                 --serial lists the serial ports (as # comments), --probe PATH asks
                 that port for APC Smart, then Megatec Q1.
                 Nothing else is probed: never a network sweep.
  hid-dump FILE  Play a recorded HID device (see docs in README) through the
                 usbhid-ups driver and print the variables it publishes, as upsc
                 prints them.
  first-boot     On the SD card image, as root before the network starts: apply
                 the boot partition's upsgate-setup.json (host name, time zone,
                 Wi-Fi, SSH keys, web password) and NUT folder upsgate/, all
                 checked first; a problem changes nothing and is written to
                 upsgate-setup.error.txt there (exit 1).
  version        Print the version.

Options:
  --nut-conf DIR     Use an existing NUT configuration folder unchanged: ups.conf,
                     upsd.conf and upsd.users (paths inside resolve against DIR);
                     with upsmon.conf (and upssched.conf) there, upsgate also does
                     upsmon's job; upsgate.json adds TrueNAS-style shutdown
                     policies and e-mail/webhook notifications (with upsmon.conf),
                     and the MQTT bridge (with or without it).
  --http [HOST:]PORT Serve the web page (status, commands, settings, clients,
                     events) there: 0.0.0.0:8080 for the whole LAN; a bare PORT
                     listens on ${MQTT_BROKER_DEFAULT_HOST} only. The first visit sets the admin
                     password. Its account and chart history are kept in
                     $STATE_DIRECTORY (default /var/lib/upsgate).
  --mqtt URL         Publish every UPS to this MQTT broker, with Home Assistant
                     discovery: mqtt://HOST[:1883] or mqtts://HOST[:8883]. Overrides
                     upsgate.json's mqtt.url; its other mqtt fields (login, TLS,
                     topics) still apply, else their defaults. A login goes in
                     upsgate.json ("username", "password"), never in the URL.
  --mqtt-broker [HOST:]PORT
                     Run the embedded MQTT broker there (repeatable; HOST defaults
                     to ${MQTT_BROKER_DEFAULT_HOST}, [::1]:PORT for IPv6). Without --mqtt or
                     mqtt.url the bridge publishes to it. Replaces upsgate.json's
                     mqtt.broker.listen.
  --gateway-id ID    This gateway's name in MQTT topics and Home Assistant ids
                     (default: the host name); overrides mqtt.gatewayId.
  --log-level LEVEL  One of: ${LEVELS.join(', ')} (default: info).
  -h, --help         Show this help.

NUT's command-line tools, for machines without NUT installed: the same
options, output and exit codes as NUT 2.8.0's (see "upsgate upsc -h" & co).
  upsgate upsc -l | -L [HOST[:PORT]]       list the UPSes of a NUT server
  upsgate upsc UPS[@HOST[:PORT]] [VAR]     show a UPS's variables, or one of them
  upsgate upsc -c UPS[@HOST[:PORT]]        list the clients logged in to a UPS
  upsgate upscmd -l UPS[@HOST[:PORT]]      list a UPS's instant commands
  upsgate upscmd [-u USER] [-p PASS] [-w] [-t SECONDS] UPS[@HOST[:PORT]] CMD [VALUE]
  upsgate upsrw UPS[@HOST[:PORT]]          list a UPS's writable variables
  upsgate upsrw -s VAR[=VALUE] [-u USER] [-p PASS] [-w] [-t SECONDS] UPS[@HOST[:PORT]]
`;

export function parseArgs(argv: readonly string[]): CliOptions {
  const opts: CliOptions = { command: 'help', nutConf: undefined, logLevel: 'info', scanNut: [], scanSnmp: [], community: 'public', scanSerial: false, probe: [], mqttBroker: [] };
  let command: CommandName | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return { ...opts, command: 'help' };
      case '--version':
        return { ...opts, command: 'version' };
      case '--nut-conf':
        opts.nutConf = value();
        break;
      case '--nut':
        opts.scanNut.push(value());
        break;
      case '--snmp':
        opts.scanSnmp.push(value());
        break;
      case '--community':
        opts.community = value();
        break;
      case '--serial':
        opts.scanSerial = true;
        break;
      case '--probe':
        opts.probe.push(value());
        break;
      case '--mqtt':
        opts.mqttUrl = checked(flag, value(), checkMqttUrl);
        break;
      case '--mqtt-broker': {
        const address = checked(flag, value(), (v) => parseListenAddress(v, MQTT_BROKER_DEFAULT_HOST));
        if (opts.mqttBroker.length >= 8) throw new UsageError(`${flag}: at most 8 addresses are accepted`);
        opts.mqttBroker.push(address);
        break;
      }
      case '--http':
        opts.http = checked(flag, value(), (v) => parseListenAddress(v, MQTT_BROKER_DEFAULT_HOST));
        break;
      case '--gateway-id':
        opts.gatewayId = checked(flag, value(), checkGatewayId);
        break;
      case '--log-level': {
        const level = value();
        if (!(LEVELS as readonly string[]).includes(level)) {
          throw new UsageError(`--log-level ${level}: accepted levels are ${LEVELS.join(', ')}`);
        }
        opts.logLevel = level as Level;
        break;
      }
      default:
        if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}; see upsgate --help`);
        if (command === 'hid-dump' && opts.file === undefined) {
          opts.file = flag;
          break;
        }
        if (command !== undefined) throw new UsageError(`unexpected argument "${flag}" after "${command}"`);
        if (!isCommand(flag)) {
          throw new UsageError(`unknown command "${flag}"; commands are run, check-config, killpower, scan, hid-dump, version (see upsgate --help)`);
        }
        command = flag;
    }
  }
  if (command === 'hid-dump' && opts.file === undefined) throw new UsageError('hid-dump needs the recorded device file: upsgate hid-dump FILE');
  return { ...opts, command: command ?? 'help' };
}

/** A value check of mqtt-values.ts, its refusal as a UsageError naming the option. */
function checked<T>(flag: string, text: string, check: (text: string) => T): T {
  try {
    return check(text);
  } catch (e) {
    if (!(e instanceof MqttValueError)) throw e;
    // The messages quote what they refuse, except a URL's: it may hold a password.
    throw new UsageError(`${flag} ${e.message}`);
  }
}

function isCommand(s: string): s is CommandName {
  return ['run', 'check-config', 'killpower', 'scan', 'hid-dump', 'version', 'help'].includes(s);
}
