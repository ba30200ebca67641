import { type AuditChainAnchored, type PayloadOf } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { enqueueWebhooks } from '../data/webhooks';

/**
 * Sends a checkpoint of the institution's audit chain to its webhook subscribers (ADR 0008 §5):
 * their copy is what a rewrite of our database cannot reach. Once per checkpoint and subscription.
 */
export function sendAuditCheckpoint(em: EntityManager, checkpoint: PayloadOf<typeof AuditChainAnchored>): Promise<void> {
  return enqueueWebhooks(
    em,
    checkpoint.institutionId,
    'audit.chain_anchored',
    `audit-checkpoint:${checkpoint.seq}`,
    { institutionId: checkpoint.institutionId, seq: checkpoint.seq, hash: checkpoint.hash, anchoredAt: checkpoint.anchoredAt },
    new Date(checkpoint.anchoredAt),
  );
}
