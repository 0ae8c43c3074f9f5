/** A webhook's URL parsed, or undefined unless it is http:// or https:// (the only schemes the channels send to). */
export function httpUrl(text: string): URL | undefined {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return undefined;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : undefined;
}
