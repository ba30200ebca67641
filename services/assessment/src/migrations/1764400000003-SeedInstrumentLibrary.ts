import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { INSTRUMENT_LIBRARY, libraryInstrumentId } from '../seed/instrument-library';

/**
 * The instrument library (mini-CEX, DOPS, OSCE station, case analysis, multisource feedback,
 * NOTSS, EPA entrustment, site and teacher evaluations), with stable ids: the default
 * end-of-placement instruments exist in every database from its first migration on.
 * Instruments are never edited in place; a later change to the library is a new migration.
 */
export class SeedInstrumentLibrary1764400000003 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    for (const instrument of INSTRUMENT_LIBRARY) {
      const id = libraryInstrumentId(instrument.key);
      await q.query(
        `INSERT INTO instrument (id, kind, title, purpose, description, owner_institution_id, library_key) VALUES ($1, $2, $3, $4, $5, NULL, $6)`,
        [id, instrument.kind, instrument.title, instrument.purpose, instrument.description, instrument.key],
      );
      for (const [position, item] of instrument.items.entries()) {
        await q.query(
          `INSERT INTO instrument_item (instrument_id, key, position, label, category, required, scale, competency_ids) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [id, item.key, position + 1, item.label, item.category, item.required, JSON.stringify(item.scale), item.competencyIds],
        );
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM instrument_item WHERE instrument_id IN (SELECT id FROM instrument WHERE library_key IS NOT NULL)`);
    await q.query(`DELETE FROM instrument WHERE library_key IS NOT NULL`);
  }
}
