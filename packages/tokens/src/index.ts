/**
 * The roles a MedCollab token can carry. Kept here, with nothing heavy beside them, so tools
 * that only mint tokens (`pnpm mint-token`) start without loading the server stack;
 * @medcollab/kit re-exports them.
 */
export const ROLES = [
  'NETWORK_ADMIN',
  'INSTITUTION_ADMIN',
  'COORDINATOR',
  'QUALITY_OFFICER',
  'TEACHER',
  'CLINICAL_INSTRUCTOR',
  'MENTOR',
  'STUDENT',
  'INTEGRATION',
] as const;
export type Role = (typeof ROLES)[number];

/** HS256 key used only on a developer's machine; production refuses it (kit's REPOSITORY_SECRETS). */
export const DEV_JWT_SECRET = 'medcollab-dev-jwt-secret-change-me-please-32b';

export interface MintTokenOptions {
  sub: string;
  institutionId: string | null;
  roles: Role[];
  /** A time span ("8h", "15m") or seconds from now (negative: already expired); default one hour. */
  expiresIn?: string | number;
  /** HS256 key; default the development secret the gateway uses when JWT_SECRET is unset. */
  secret?: string;
  issuer?: string;
  audience?: string;
  /** Seconds from now of the iat claim (tests: a token issued in the future); default now. */
  issuedAt?: number;
  /** Seconds from now of an nbf claim; default none. */
  notBefore?: number;
}

/**
 * Mints an HS256 token the gateway accepts when it runs with the same JWT_SECRET. For scripts
 * (`pnpm mint-token`) and tests; production tokens come from the identity provider (RS256).
 */
export async function mintToken(opts: MintTokenOptions): Promise<string> {
  // Loaded on first use: the kit re-exports ROLES from here, so every service and test file would
  // otherwise load jose (80 modules) without minting anything.
  const { SignJWT } = await import('jose');
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ institutionId: opts.institutionId, roles: opts.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(opts.sub)
    .setIssuedAt(now + (opts.issuedAt ?? 0))
    // jose reads a number as an absolute time; ours is relative, like the string form.
    .setExpirationTime(typeof opts.expiresIn === 'number' ? now + opts.expiresIn : (opts.expiresIn ?? '1h'));
  if (opts.notBefore !== undefined) jwt.setNotBefore(now + opts.notBefore);
  if (opts.issuer) jwt.setIssuer(opts.issuer);
  if (opts.audience) jwt.setAudience(opts.audience);
  return jwt.sign(new TextEncoder().encode(opts.secret ?? DEV_JWT_SECRET));
}
