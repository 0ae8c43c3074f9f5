declare const UPSGATE_VERSION: string | undefined;

/** The package version, baked in by the bundler; "dev" when run from source. */
export const VERSION: string = typeof UPSGATE_VERSION === 'string' ? UPSGATE_VERSION : 'dev';

/** The NUT release whose protocol and behaviour upsgate reproduces. */
export const NUT_VERSION = '2.8.0';
