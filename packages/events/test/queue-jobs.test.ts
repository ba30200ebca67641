import { Registry } from 'prom-client';
import { observeQueueJobs } from '../src';

/** `medcollab_queue_jobs{queue,state}`: every queue a worker consumes or runs, on one gauge, read at scrape time. */
const counts = (wait: number, delayed: number, active: number, failed: number) => ({
  getJobCounts: async () => ({ wait, delayed, active, failed }),
});

describe('observeQueueJobs', () => {
  it("reports each observed queue's jobs by state, stops reporting one when told, and leaves out one it cannot read", async () => {
    const registry = new Registry();
    observeQueueJobs(registry, 'events.notifications', () => counts(3, 1, 2, 0));
    const stop = observeQueueJobs(registry, 'reminders', () => counts(0, 40, 1, 5));
    observeQueueJobs(registry, 'broken', () => ({ getJobCounts: () => Promise.reject(new Error('redis down')) }));
    const lines = (await registry.metrics()).split('\n').filter((l) => l.startsWith('medcollab_queue_jobs{'));
    expect(lines.sort()).toEqual(
      [
        'medcollab_queue_jobs{queue="events.notifications",state="waiting"} 3',
        'medcollab_queue_jobs{queue="events.notifications",state="delayed"} 1',
        'medcollab_queue_jobs{queue="events.notifications",state="active"} 2',
        'medcollab_queue_jobs{queue="events.notifications",state="failed"} 0',
        'medcollab_queue_jobs{queue="reminders",state="waiting"} 0',
        'medcollab_queue_jobs{queue="reminders",state="delayed"} 40',
        'medcollab_queue_jobs{queue="reminders",state="active"} 1',
        'medcollab_queue_jobs{queue="reminders",state="failed"} 5',
      ].sort(),
    );
    stop();
    expect(await registry.metrics()).not.toContain('queue="reminders"');
    expect(registry.getMetricsAsArray()).toHaveLength(1);
  });
});
