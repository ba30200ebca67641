import { type DataSource, type EntityManager } from 'typeorm';
import { pseudonymKeyFingerprint } from '../domain/pseudonyms';

/**
 * Whether the rollups' pseudonyms were made with another key than `key` (ADR 0047). Incremental
 * apply retracts an aggregate's old contribution by folding its events again, with the key of
 * the day, so under a new key it would retract pseudonyms the cells do not hold: a changed key
 * needs a rebuild first (data/rebuild-runs queueRebuildOnKeyChange). Tables with no key recorded
 * yet take this one.
 */
export async function pseudonymKeyChanged(em: EntityManager, key: string): Promise<boolean> {
  const fingerprint = pseudonymKeyFingerprint(key);
  await em.query('INSERT INTO quality_pseudonym_key (fingerprint, epoch) VALUES ($1, 0) ON CONFLICT (id) DO NOTHING', [fingerprint]);
  const [row] = (await em.query('SELECT fingerprint FROM quality_pseudonym_key')) as { fingerprint: string }[];
  return row?.fingerprint !== fingerprint;
}

/** After a rebuild with `key`: the rollups' pseudonyms are that key's; a new key starts a new epoch. */
export async function recordPseudonymKey(ds: DataSource | EntityManager, key: string): Promise<void> {
  await ds.query(
    `INSERT INTO quality_pseudonym_key (fingerprint, epoch) VALUES ($1, 0)
     ON CONFLICT (id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, since = now(),
       epoch = quality_pseudonym_key.epoch + (quality_pseudonym_key.fingerprint <> EXCLUDED.fingerprint)::int`,
    [pseudonymKeyFingerprint(key)],
  );
}

/** The epoch of the key the rollups' pseudonyms are made with (0 before any key was recorded). */
export async function pseudonymEpoch(em: EntityManager): Promise<number> {
  const [row] = (await em.query('SELECT epoch FROM quality_pseudonym_key')) as { epoch: number }[];
  return row?.epoch ?? 0;
}
