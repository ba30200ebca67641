import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { UNKEYED_FINGERPRINT } from '../domain/pseudonyms';

/**
 * Keyed student pseudonyms (ADR 0047): `quality_pseudonym_key` names the key the rollups'
 * pseudonyms were made with (a fingerprint, never the key) and counts the keys so far (`epoch`);
 * each frozen revision records the epoch its evaluators' pseudonyms belong to, so a later revision
 * is not compared pseudonym by pseudonym with one made under another key. Rollups that exist
 * already were made with the unkeyed hash: marked so, the worker's first start with a key
 * rebuilds them (src/data/pseudonym-key.ts).
 */
export class PseudonymKey1767877000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE quality_pseudonym_key (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        fingerprint text NOT NULL,
        epoch int NOT NULL,
        since timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `INSERT INTO quality_pseudonym_key (fingerprint, epoch)
       SELECT $1, 0 WHERE EXISTS (SELECT 1 FROM rollup_cell) OR EXISTS (SELECT 1 FROM quality_snapshot)`,
      [UNKEYED_FINGERPRINT],
    );
    await q.query('ALTER TABLE quality_snapshot ADD COLUMN pseudonym_epoch int NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE quality_snapshot DROP COLUMN pseudonym_epoch');
    await q.query('DROP TABLE quality_pseudonym_key');
  }
}
