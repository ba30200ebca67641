import { type ScaleWorld } from './world';

/** A service's bulk loader of its part of the world (exported as `loadScale<Service>` by each service). */
export type ScaleLoader<D> = (dataSource: D, world: ScaleWorld) => Promise<Record<string, number>>;

export interface LoadedService {
  service: string;
  seconds: number;
  rows: Record<string, number>;
}

/**
 * Loads the world into each service's database with that service's own loader, one service at
 * a time (the machine has two cores), timing each. `onLoaded` is told as each finishes.
 */
export async function loadScaleWorld<D>(
  world: ScaleWorld,
  targets: { service: string; dataSource: D; load: ScaleLoader<D> }[],
  onLoaded: (loaded: LoadedService) => void = () => undefined,
): Promise<LoadedService[]> {
  const out: LoadedService[] = [];
  for (const { service, dataSource, load } of targets) {
    const started = process.hrtime.bigint();
    const rows = await load(dataSource, world);
    const loaded = { service, seconds: Number(process.hrtime.bigint() - started) / 1e9, rows };
    onLoaded(loaded);
    out.push(loaded);
  }
  return out;
}
