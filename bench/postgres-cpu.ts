import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds the PostgreSQL server spent for one database while something ran: the backends
 * whose process title names the database, and the parallel workers of those backends (an index
 * build's), read from /proc every `everyMs` (a process that exits keeps its last reading). The
 * server must run on this machine (it does in every bench here); elsewhere the figure is 0.
 */
export function watchPostgresCpu(database: string, everyMs = 250): { stop(): number } {
  const ticks = new Map<number, { first: number; last: number }>();
  let initial = true;
  const sample = () => {
    let pids: string[];
    try {
      pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
    } catch {
      return;
    }
    const ours = new Set<number>();
    const workers: [number, number][] = [];
    for (const pid of pids) {
      let title: string;
      try {
        title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (!title.startsWith('postgres:')) continue;
      const leader = /parallel worker for PID (\d+)/.exec(title);
      if (leader) workers.push([Number(pid), Number(leader[1])]);
      else if (title.split(' ').includes(database)) ours.add(Number(pid));
    }
    for (const [pid, leader] of workers) if (ours.has(leader)) ours.add(pid);
    for (const pid of ours) {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        const used = Number(fields[11]) + Number(fields[12]);
        const seen = ticks.get(pid);
        if (seen) seen.last = used;
        // A process that starts during the run counts from 0; one already running from its reading at the start.
        else ticks.set(pid, { first: initial ? used : 0, last: used });
      } catch {
        // Exited between the listing and the read: its last reading stands.
      }
    }
  };
  sample();
  initial = false;
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      let total = 0;
      for (const t of ticks.values()) total += t.last - t.first;
      return total / 100;
    },
  };
}
