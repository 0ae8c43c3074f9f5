/**
 * What the NUT configuration files say, as plain data. Readers produce these, writers turn them
 * back into files, the gateway builds its world from them. Positions point back into the file for
 * errors found later (a driver refusing a port, a LISTEN address that cannot be bound).
 */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

// ---- ups.conf --------------------------------------------------------------------------------

export interface UpsConfEntry {
  /** Key as written (ups.conf keys are case-sensitive). */
  key: string;
  /** undefined for a bare flag (`nolock`), which NUT publishes as `driver.flag.<key>`. */
  value: string | undefined;
  pos: SourcePos;
}

export interface UpsSection {
  /** Name inside the brackets, exactly as written. */
  name: string;
  pos: SourcePos;
  /** Every line of the section in file order, the well-known keys included. */
  entries: UpsConfEntry[];
  driver: string | undefined;
  port: string | undefined;
  desc: string | undefined;
  /** upsdrvctl shutdown order: 0 first; -1 = never shut down by killpower. */
  sdorder: number;
  /** Per-UPS overrides of the global values; undefined when not set here. */
  pollinterval: number | undefined;
  maxretry: number | undefined;
  retrydelay: number | undefined;
  maxstartdelay: number | undefined;
}

export interface UpsConf {
  file: string;
  /** Lines before the first section. */
  globals: UpsConfEntry[];
  /** Global values (defaults applied: pollinterval 2, maxretry 1, retrydelay 5, maxstartdelay 45). */
  pollinterval: number;
  maxretry: number;
  retrydelay: number;
  maxstartdelay: number;
  /** In file order. Sections repeating a name were merged into the first, as NUT does. */
  sections: UpsSection[];
}

// ---- upsd.conf -------------------------------------------------------------------------------

export interface ListenAddress {
  /** Address or host name as written; `*` (2.8.1+) means every address. */
  host: string;
  port: number;
  pos: SourcePos;
}

/** `ACL <name> <address>/<mask>` (NUT <= 2.4): a named network, IPv4 or IPv6. */
export interface AclEntry {
  name: string;
  family: 4 | 6;
  /** Network address with the mask applied, in canonical text form. */
  network: string;
  /** Prefix length (a dotted IPv4 mask is converted to its prefix length). */
  prefix: number;
  pos: SourcePos;
}

/** `ACCEPT <acl>...` / `REJECT <acl>...`: checked in file order, first match wins. */
export interface AccessRule {
  action: 'accept' | 'reject';
  acl: string;
  pos: SourcePos;
}

export interface UpsdConf {
  file: string | undefined;
  /** Empty when no LISTEN line: the server then listens on 127.0.0.1 and ::1, port 3493. */
  listen: ListenAddress[];
  maxAge: number;
  trackingDelay: number;
  allowNoDevice: boolean;
  allowNotAllListeners: boolean;
  /** undefined = no limit beyond the process's own. */
  maxConn: number | undefined;
  statePath: string | undefined;
  dataPath: string | undefined;
  certFile: string | undefined;
  disableWeakSsl: boolean;
  debugMin: number | undefined;
  acls: AclEntry[];
  access: AccessRule[];
}

// ---- upsd.users ------------------------------------------------------------------------------

export interface UserEntry {
  /** Name inside the brackets (case-sensitive). */
  name: string;
  pos: SourcePos;
  password: string | undefined;
  /** Upper-cased action names: SET, FSD, and from `upsmon`: LOGIN, MASTER, PRIMARY … */
  actions: string[];
  /** Instant command names as written; `ALL` (any case) allows every command. */
  instcmds: string[];
  upsmon: 'primary' | 'secondary' | undefined;
  /** ACL names from the old `allowfrom` field; empty = from anywhere. */
  allowFrom: string[];
  /** Where each `allowFrom` name was written (same order), for "ACL not defined" errors. */
  allowFromPos?: SourcePos[];
}

export interface UpsdUsers {
  file: string | undefined;
  users: UserEntry[];
}
