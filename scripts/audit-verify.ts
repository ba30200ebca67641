/**
 * `pnpm audit:verify`: recomputes the audit trail's hash chains and names the first broken link of
 * each (ADR 0008); the behaviour and the usage are `runVerifyCommand` of the audit service. Reads
 * the database <DATABASE_PREFIX>_audit on DATABASE_URL's server.
 */
import { baseConfigShape, loadConfig, serviceDatabaseName, withDatabase } from '@medcollab/kit';
import { runVerifyCommand } from '@medcollab/audit';

const config = loadConfig(baseConfigShape);
runVerifyCommand(process.argv.slice(2), withDatabase(config.DATABASE_URL, serviceDatabaseName('audit'))).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  },
);
