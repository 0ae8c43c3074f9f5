/** A field of the Settings page's upsgate.json sections (MQTT, mail server, webhooks, LED), as data the page renders. */
export interface FormField {
  name: string;
  label: string;
  input: 'checkbox' | 'text' | 'password' | 'select' | 'number';
  help: string;
  options?: { value: string; label: string }[];
  /** For a secret: the value key that says one is stored (the page then shows "(unchanged)"). */
  secretSetKey?: string;
}
