// The one human form of an event, `type  key=value …`: what `npm start` prints on a terminal and
// what `twinfeed journal` prints by default.

/** `transfer.begin   from=A to=B reason=sourceFail` (the type padded so the fields line up). */
export function describeEvent(e: { readonly type: string } & Readonly<Record<string, unknown>>): string {
  const { type, ...rest } = e;
  return `${type.padEnd(15)} ${Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ')}`;
}
