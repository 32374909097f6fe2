/**
 * A CloudEvent as plain JSON, exactly as a browser receives it in one frame
 * (the event as delivered: id, type, source, subject, time, data and the
 * attributes daprd added). Journal and queue keep it in this form.
 */
export type EventJson = { id: string; type: string } & Record<string, unknown>;

export function toEventJson(event: object): EventJson {
  return JSON.parse(JSON.stringify(event)) as EventJson;
}
