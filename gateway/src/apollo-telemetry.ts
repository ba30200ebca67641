/**
 * @apollo/gateway 2.x, unless APOLLO_TELEMETRY_DISABLED is `true` or `1` when an ApolloGateway is
 * constructed, starts an OpenTelemetry meter provider that reports the gateway's uptime, CPU and
 * memory to Apollo (usage-reporting.api.apollographql.com, hourly and at shutdown), and to label
 * that report it probes, as it is constructed, the cloud metadata services of Alibaba
 * (100.100.100.200), AWS, Azure and GCP (169.254.169.254, metadata.google.internal):
 * `MetadataLookupWarning` is gcp-metadata's when its probe fails in an unexpected way. A gateway in
 * a school's or hospital's network calls nobody but its subgraphs (ADR 0070), so this is off,
 * whatever the environment says; the variable is read in the constructor only.
 */
export function withoutApolloTelemetry<T>(construct: () => T): T {
  const previous = process.env.APOLLO_TELEMETRY_DISABLED;
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  try {
    return construct();
  } finally {
    // Left as it was: the process's environment is not the gateway's to change.
    if (previous === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
    else process.env.APOLLO_TELEMETRY_DISABLED = previous;
  }
}
