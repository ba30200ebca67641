import { jwtVerify } from 'jose';
import { DEV_JWT_SECRET, type Actor, type Role } from '@medcollab/kit';

const key = new TextEncoder().encode(process.env.JWT_SECRET || DEV_JWT_SECRET);

/** The reference gateways' authentication: the same HS256 verification as ours (jose), no more. */
export async function actorFromAuthorization(authorization: string | null | undefined): Promise<Actor | undefined> {
  const token = authorization?.replace(/^Bearer /i, '');
  if (!token) return undefined;
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
    return {
      personId: String(payload.sub),
      institutionId: (payload.institutionId as string | null | undefined) ?? null,
      roles: payload.roles as Role[],
    };
  } catch {
    return undefined;
  }
}

/** `{"network":"http://…"}` from BENCH_SUBGRAPH_URLS. */
export function subgraphUrlsFromEnv(): Record<string, string> {
  return JSON.parse(process.env.BENCH_SUBGRAPH_URLS ?? '{}') as Record<string, string>;
}

/** The supergraph with each join__graph URL replaced by the bench's. */
export function withSubgraphUrls(supergraphSdl: string, urls: Record<string, string>): string {
  return supergraphSdl.replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (whole, name: string) =>
    urls[name] ? `@join__graph(name: "${name}", url: "${urls[name]}")` : whole,
  );
}
