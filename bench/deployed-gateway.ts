import { randomBytes } from 'node:crypto';

/**
 * What a gateway needs to start as deployed (NODE_ENV=production): production refuses the
 * repository's secrets and tokens without a pinned issuer and audience, so a bench makes its own.
 * Without NODE_ENV=production graphql-js runs its development checks (its `instanceOf` guard,
 * 1.4 % of the gateway's profile), which no deployed gateway pays.
 */
export interface DeployedGatewaySettings {
  NODE_ENV: 'production';
  JWT_SECRET: string;
  INTERNAL_SIGNING_SECRET: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
}

/** Fresh secrets per run (the caller's own, when its environment sets them). */
export function deployedGatewaySettings(env: NodeJS.ProcessEnv = process.env): DeployedGatewaySettings {
  return {
    NODE_ENV: 'production',
    JWT_SECRET: env.JWT_SECRET || randomBytes(32).toString('hex'),
    INTERNAL_SIGNING_SECRET: env.INTERNAL_SIGNING_SECRET || randomBytes(32).toString('hex'),
    JWT_ISSUER: env.JWT_ISSUER || 'https://idp.bench.invalid',
    JWT_AUDIENCE: env.JWT_AUDIENCE || 'medcollab-bench',
  };
}

/** The mintToken options that make a token the gateway with these settings accepts. */
export const tokenOptionsFor = (settings: DeployedGatewaySettings) => ({
  secret: settings.JWT_SECRET,
  issuer: settings.JWT_ISSUER,
  audience: settings.JWT_AUDIENCE,
});
