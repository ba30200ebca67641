import { readFileSync } from 'node:fs';

/**
 * CPU seconds the PostgreSQL server spent for one database while something ran: its backends
 * and their parallel workers (pg_stat_activity of the database), each read from /proc/<pid>/stat
 * every `everyMs` (a process that exits keeps its last reading). The server must run on this
 * machine (it does in every bench here); elsewhere the figure is 0.
 */
export function watchPostgresCpu(query: (sql: string) => Promise<unknown>, everyMs = 500): { stop(): Promise<number> } {
  const ticks = new Map<number, { first: number; last: number }>();
  let initial = true;
  const sample = async () => {
    const rows = (await query('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')) as { pid: number }[];
    for (const { pid } of rows) {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        const used = Number(fields[11]) + Number(fields[12]);
        const seen = ticks.get(pid);
        if (seen) seen.last = used;
        // A process that starts during the run counts from 0; one already running from its reading at the start.
        else ticks.set(pid, { first: initial ? used : 0, last: used });
      } catch {
        // Exited (or not on this machine): its last reading stands.
      }
    }
    initial = false;
  };
  let running = sample();
  const timer = setInterval(() => {
    running = running.then(sample, sample);
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await running.catch(() => undefined);
      await sample().catch(() => undefined);
      let total = 0;
      for (const t of ticks.values()) total += t.last - t.first;
      return total / 100;
    },
  };
}
