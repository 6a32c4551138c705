/** Collects every telemetry event of a bus. */
export function recordEvents(telemetry: { onAny(listener: (name: string, payload: unknown) => void): () => void }) {
  const events: Array<{ name: string; payload: any }> = [];
  telemetry.onAny((name, payload) => events.push({ name, payload }));
  return events;
}
