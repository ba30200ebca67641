import { type DataSource } from 'typeorm';
import { aggregate, type ItemAggregate, type RatedItem } from '../domain/aggregates';
import { type WithheldReason } from '../domain/model';
import { teacherRelease } from '../domain/release';
import { type AssessmentSettings } from '../settings';
import { closedBlocksOf, type EvaluationRow, itemsOf, teacherEvaluationData } from './evaluations';

/** A teacher's evaluation as released (or not). */
export interface TeachingEvaluationView {
  released: boolean;
  withheldReason: WithheldReason | null;
  minimumEvaluators: number;
  minimumBlocks: number;
  evaluatorCount: number | null;
  blockCount: number | null;
  releasedThrough: Date | null;
  items: ItemAggregate[];
}

/** The rated (LIKERT) items of the instruments the evaluations used, by key (the first instrument naming a key labels it). */
export async function ratedItems(ds: DataSource, evaluations: readonly EvaluationRow[]): Promise<Map<string, RatedItem>> {
  const byInstrument = await itemsOf(
    ds,
    evaluations.map((e) => e.instrumentId),
  );
  const items = new Map<string, RatedItem>();
  for (const list of byInstrument.values()) {
    for (const i of list) {
      if (i.scale.type === 'LIKERT' && !items.has(i.key))
        items.set(i.key, { key: i.key, label: i.label, min: i.scale.min as number, max: i.scale.max as number, position: i.position });
    }
  }
  return items;
}

/**
 * The released aggregate of each teacher's evaluations (domain/release: closed blocks only,
 * k distinct evaluators, `minimumBlocks` blocks for the first release, whole groups after).
 */
export async function teachingEvaluations(
  ds: DataSource,
  teacherIds: readonly string[],
  settings: AssessmentSettings,
): Promise<Map<string, TeachingEvaluationView>> {
  const { evaluations, placements } = await teacherEvaluationData(ds, teacherIds);
  const items = await ratedItems(ds, evaluations);
  const views = new Map<string, TeachingEvaluationView>();
  for (const teacherId of teacherIds) {
    const mine = evaluations.filter((e) => e.subjectStaffId === teacherId);
    const closed = closedBlocksOf(
      placements.filter((p) => p.supervisorId === teacherId),
      mine,
    );
    const submitted = mine.filter((e) => e.responses !== null && closed.has(e.blockId));
    const blocks = [...closed.entries()].map(([blockId, closedAt]) => ({
      blockId,
      closedAt,
      evaluatorIds: submitted.filter((e) => e.blockId === blockId).map((e) => e.evaluatorId),
    }));
    const release = teacherRelease(blocks, settings.minEvaluators, settings.teacherMinBlocks);
    const base = { minimumEvaluators: settings.minEvaluators, minimumBlocks: settings.teacherMinBlocks };
    if (!release.released) {
      views.set(teacherId, {
        ...base,
        released: false,
        withheldReason: release.withheldReason,
        evaluatorCount: null,
        blockCount: null,
        releasedThrough: null,
        items: [],
      });
      continue;
    }
    const included = new Set(release.blockIds);
    const agg = aggregate(
      submitted.filter((e) => included.has(e.blockId)).map((e) => ({ evaluatorId: e.evaluatorId, responses: e.responses ?? [] })),
      items,
    );
    views.set(teacherId, {
      ...base,
      released: true,
      withheldReason: null,
      evaluatorCount: release.evaluatorCount,
      blockCount: release.blockIds.length,
      releasedThrough: release.releasedThrough,
      items: agg.items,
    });
  }
  return views;
}
