import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Roster imports run as BullMQ jobs that their upload's RosterImportQueued event creates
 * (ADR 0026). Imports uploaded before this release were queued by their row alone, for a
 * polling loop that no longer exists: each unfinished one gets the event (and its delivery to
 * the roster import queue) it would have been written with, so the relay publishes its job.
 * An import a worker was running when it stopped is run again from the start, which is safe.
 */
export class QueueUnfinishedRosterImports1767715000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      WITH queued AS (
        INSERT INTO outbox (id, event_type, event_version, aggregate_type, aggregate_id, sequence, payload, metadata)
        SELECT gen_random_uuid(), 'RosterImportQueued', 1, 'RosterImport', r.id::text, 1,
               jsonb_build_object('importId', r.id, 'institutionId', r.institution_id),
               jsonb_build_object('actorId', r.requested_by, 'requestId', 'migration-1767715000000')
          FROM roster_import r
         WHERE r.status IN ('QUEUED', 'VALIDATING', 'APPLYING')
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.aggregate_type = 'RosterImport' AND o.aggregate_id = r.id::text)
        RETURNING id)
      INSERT INTO outbox_delivery (event_id, consumer) SELECT id, 'network-roster-imports' FROM queued`);
  }

  async down(q: QueryRunner): Promise<void> {
    // The polling loop of the release before claims unfinished imports from their rows again.
    await q.query(`DELETE FROM outbox WHERE event_type = 'RosterImportQueued' AND metadata->>'requestId' = 'migration-1767715000000'`);
  }
}
