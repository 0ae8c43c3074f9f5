/** The web UI's address could not be bound (kept apart so main.ts can recognise it without loading the UI). */
export class UiListenError extends Error {}
