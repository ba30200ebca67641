import { type ReadinessCheck } from '@medcollab/kit';

/** A subgraph's /readyz next to its /graphql endpoint. */
export function readyzUrl(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, '') + '/readyz';
  url.search = '';
  return url.toString();
}

/**
 * One readiness check per subgraph: the gateway is ready only while every subgraph is.
 * Failures name the status, never the URL (/readyz is reachable from outside).
 */
export function subgraphReadiness(urls: Record<string, string>): Record<string, ReadinessCheck> {
  return Object.fromEntries(
    Object.entries(urls).map(([name, url]) => {
      const target = readyzUrl(url);
      const check: ReadinessCheck = async () => {
        let status: number;
        try {
          const res = await fetch(target, { signal: AbortSignal.timeout(1_500) });
          status = res.status;
          await res.body?.cancel();
        } catch {
          throw new Error('unreachable');
        }
        if (status !== 200) throw new Error(`answered ${status}`);
      };
      return [`subgraph:${name}`, check];
    }),
  );
}
