/**
 * What of an error goes into a log line: its kind, message, code and stack. Not its other
 * properties: a QueryFailedError carries the query parameters (an event's payload, e.g. a
 * student's e-mail) and pg errors carry the whole client.
 */
export function logError(error: unknown): { type: string; message: string; code?: string; stack?: string } {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { type: error.name, message: error.message, code: typeof code === 'string' ? code : undefined, stack: error.stack };
}
