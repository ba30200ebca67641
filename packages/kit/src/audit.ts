import { defaultFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';
import { type DataSource, type EntityManager } from 'typeorm';
import { type Logger } from 'pino';
import { type Actor } from './actor';

/**
 * The audit trail's recording side (ADR 0008): resolvers say which student records they let a
 * caller read or change; the kit collects them per request and hands them to the service's
 * {@link AuditSink}, which writes them as one `AuditRecorded` outbox event. The kit knows no
 * outbox (packages/events depends on the kit), so the sink is given by the service.
 */

/** What was read or changed: a student record of one school (the chain it belongs to). */
export interface AuditEntry {
  action: 'READ' | 'CHANGE';
  /** The GraphQL type of the record: Student, Placement, AssessmentTask, AssessmentSubmission… */
  recordType: string;
  recordId: string;
  /** Whose record it is. */
  studentId: string;
  /** The student's school: its institution owns the entry (and its chain). */
  schoolId: string;
  /** Fields read or changed, where the resolver knows them (sorted, de-duplicated). */
  fields: string[];
  /** For a change: what was done (the mutation, e.g. updateStudent). */
  change: string | null;
  /** Why, where the API asks for it (a cancellation's or deactivation's reason). */
  reason: string | null;
}

/** One request's entries, with who asked and from which request: the payload of AuditRecorded. */
export interface AuditBatch {
  requestId: string;
  /** The signed operation name of the client request (empty when it has none). */
  operation: string;
  actor: Actor;
  /** When the request was served (the request's clock). */
  at: string;
  entries: AuditEntry[];
}

/** Where a service's audit batches go; `auditSink(outbox)` of @medcollab/events is the real one. */
export interface AuditSink {
  /** Reads: one statement, outside any transaction, when the response is ready. */
  writeReads(ds: DataSource, batch: AuditBatch): Promise<void>;
  /** Changes: in the command's own transaction, beside its domain events. */
  appendChanges(em: EntityManager, batch: AuditBatch): Promise<void>;
}

export interface AuditReadOptions {
  studentId: string;
  schoolId: string;
  fields?: readonly string[];
}

export interface AuditChangeOptions extends AuditReadOptions {
  /** The operation performed, e.g. 'updateStudent', 'cancelPlacement'. */
  change: string;
  reason?: string | null;
}

/** What resolvers see as `ctx.audit`. */
export interface AuditRecorder {
  /**
   * Records that the caller was shown this record (call it after the access check passed). The
   * collector answers the entry's set of fields, so the next field of the same record is one
   * `add` (see {@link auditFieldReads}); other recorders may answer nothing.
   */
  read(recordType: string, recordId: string, opts: AuditReadOptions): Set<string> | void;
  /** Records a change; inside `ctx.command` it commits with the command's transaction. */
  change(recordType: string, recordId: string, opts: AuditChangeOptions): void;
  /** Reads collected so far (tests and the flush). */
  readonly reads: readonly AuditEntry[];
}

// The student is part of the key: a record of several students (a group mentorship) is one entry per student.
const key = (e: Pick<AuditEntry, 'action' | 'recordType' | 'recordId' | 'studentId' | 'change'>) =>
  `${e.action}\u0000${e.recordType}\u0000${e.recordId}\u0000${e.studentId}\u0000${e.change ?? ''}`;

type Collected = Omit<AuditEntry, 'fields'> & { fields: Set<string> };

function merge(into: Map<string, Collected>, entry: Omit<AuditEntry, 'fields'>, fields: readonly string[] | undefined): Set<string> {
  const k = key(entry);
  const known = into.get(k);
  if (known) {
    for (const f of fields ?? []) known.fields.add(f);
    return known.fields;
  }
  const collected = { ...entry, fields: new Set(fields) };
  into.set(k, collected);
  return collected.fields;
}

// Written out rather than spread: this runs for every entry of every request that reads a student record.
const settle = (entries: Iterable<Collected>): AuditEntry[] =>
  Array.from(entries, (e) => ({
    action: e.action,
    recordType: e.recordType,
    recordId: e.recordId,
    studentId: e.studentId,
    schoolId: e.schoolId,
    fields: [...e.fields].sort(),
    change: e.change,
    reason: e.reason,
  }));

/**
 * The per-request collector behind `ctx.audit`. Reads are de-duplicated per record (a record
 * resolved twice in one request is one entry, its fields united); changes recorded inside a
 * command are handed to the command (see {@link AuditCollector.takeChanges}).
 */
export class AuditCollector implements AuditRecorder {
  private readonly readEntries = new Map<string, Collected>();
  private readonly changeEntries = new Map<string, Collected>();

  constructor(
    private readonly base: { actor: Actor; requestId: string; operation: string; now: Date },
    private readonly deps: {
      sink?: AuditSink;
      dataSource: DataSource;
      log: Logger;
      onFailure?: () => void;
      /** AUDIT_STRICT: an answer whose reads could not be recorded is withheld (ADR 0008 §3). */
      strict?: boolean;
    },
  ) {}

  get reads(): readonly AuditEntry[] {
    return settle(this.readEntries.values());
  }

  read(recordType: string, recordId: string, opts: AuditReadOptions): Set<string> {
    // The hot path of every audited field: no intermediate entry object, one key, one lookup.
    const k = key({ action: 'READ', recordType, recordId, studentId: opts.studentId, change: null });
    let known = this.readEntries.get(k);
    if (!known) {
      known = {
        action: 'READ',
        recordType,
        recordId,
        studentId: opts.studentId,
        schoolId: opts.schoolId,
        change: null,
        reason: null,
        fields: new Set(),
      };
      this.readEntries.set(k, known);
    }
    for (const f of opts.fields ?? []) known.fields.add(f);
    return known.fields;
  }

  change(recordType: string, recordId: string, opts: AuditChangeOptions): void {
    void merge(
      this.changeEntries,
      {
        action: 'CHANGE',
        recordType,
        recordId,
        studentId: opts.studentId,
        schoolId: opts.schoolId,
        change: opts.change,
        reason: opts.reason ?? null,
      },
      opts.fields,
    );
  }

  private batch(entries: AuditEntry[]): AuditBatch {
    return {
      requestId: this.base.requestId,
      operation: this.base.operation,
      actor: this.base.actor,
      at: this.base.now.toISOString(),
      entries,
    };
  }

  /** Writes the changes recorded so far in `em`'s transaction (the command calls it before commit). */
  async writeChanges(em: EntityManager): Promise<void> {
    if (!this.changeEntries.size || !this.deps.sink) return;
    const entries = settle(this.changeEntries.values());
    await this.deps.sink.appendChanges(em, this.batch(entries));
    this.changeEntries.clear();
  }

  /** Forgets changes of a command that rolled back: they never happened. */
  discardChanges(): void {
    this.changeEntries.clear();
  }

  /**
   * Writes the request's reads (and any change recorded outside a command) as one batch. A
   * failure is logged with the whole batch and counted. By default the answer still goes out
   * (ADR 0008 §3: availability first, the metric alarms); in strict mode the result is
   * 'withhold' and the kit replaces the answer with an AUDIT_UNAVAILABLE error.
   */
  async flush(): Promise<'sent' | 'withhold'> {
    const entries = settle([...this.readEntries.values(), ...this.changeEntries.values()]);
    this.readEntries.clear();
    this.changeEntries.clear();
    if (!entries.length || !this.deps.sink) return 'sent';
    try {
      await this.deps.sink.writeReads(this.deps.dataSource, this.batch(entries));
      return 'sent';
    } catch (error) {
      this.deps.onFailure?.();
      this.deps.log.error(
        { err: error, audit: this.batch(entries), strict: Boolean(this.deps.strict) },
        'audit batch could not be written',
      );
      return this.deps.strict ? 'withhold' : 'sent';
    }
  }
}

/** Whose record an object is: its id, the student and the student's school. */
export interface AuditOwner {
  id: string;
  studentId: string;
  schoolId: string;
}

/** None (not a student record), one student's, or several students' (a group mentorship). */
export type AuditOwners = AuditOwner | readonly AuditOwner[] | null;

/**
 * How to tell whose record an object is: from the object a resolver returned (and the request's
 * context, for records whose student or school must be loaded — batched loaders keep that one
 * statement per request). May answer a promise.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AuditIdentify = (record: any, ctx: any) => AuditOwners | Promise<AuditOwners>;

/**
 * Which GraphQL types of a subgraph are student records: a function saying whose (see
 * {@link AuditIdentify}), or that with `resolverRecords`, the fields whose resolver records
 * itself because it may withhold the value (e.g. meeting notes, null for non-members: the
 * wrapper would record a read that showed nothing).
 */
export type AuditedTypes = Record<string, AuditIdentify | { identify: AuditIdentify; resolverRecords: readonly string[] }>;

const isPromise = <T>(v: T | Promise<T>): v is Promise<T> => typeof (v as { then?: unknown } | null)?.then === 'function';

/** Records one field read of every owner of a record; answers the entries' field sets where the recorder gives them. */
export function recordFieldRead(audit: AuditRecorder, typeName: string, owners: AuditOwners, fieldName: string): Set<string>[] | null {
  const list: readonly AuditOwner[] = owners === null ? [] : Array.isArray(owners) ? owners : [owners as AuditOwner];
  const sets: Set<string>[] = [];
  for (const o of list) {
    const set = audit.read(typeName, o.id, { studentId: o.studentId, schoolId: o.schoolId, fields: [fieldName] });
    if (!set) return null;
    sets.push(set);
  }
  return sets;
}

/**
 * Per request (keyed by its recorder), per record object and type: the field sets of the
 * record's entries. A page of 50 students resolves 250 fields; only the first field of each
 * student asks whose record it is and builds its entry key, the other four add their name.
 */
const seenRecords = new WeakMap<AuditRecorder, WeakMap<object, Map<string, Set<string>[]>>>();

function knownFields(audit: AuditRecorder, record: unknown, typeName: string): Set<string>[] | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  return seenRecords.get(audit)?.get(record)?.get(typeName);
}

function remember(audit: AuditRecorder, record: unknown, typeName: string, sets: Set<string>[] | null): void {
  if (!sets || typeof record !== 'object' || record === null) return;
  let records = seenRecords.get(audit);
  if (!records) seenRecords.set(audit, (records = new WeakMap()));
  let types = records.get(record);
  if (!types) records.set(record, (types = new Map()));
  types.set(typeName, sets);
}

/**
 * Records a read of every audited record whose fields a request resolves, whichever path led to it
 * (root field, list, nested field or `_entities`): each field resolver of an audited type is
 * wrapped to add its field name to the record's entry. The entry then names exactly the fields
 * the caller was shown, and no resolver can forget to record. A record the policy refused or a
 * missing one resolves no field and is not recorded. Whose record an object is, is asked once
 * per object and request (its other fields only add their names).
 */
export function auditFieldReads(schema: GraphQLSchema, audited: AuditedTypes): GraphQLSchema {
  for (const [typeName, declared] of Object.entries(audited)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`Audited type ${typeName} is not an object type of this subgraph`);
    const { identify, resolverRecords } = typeof declared === 'function' ? { identify: declared, resolverRecords: [] } : declared;
    for (const field of Object.values(type.getFields())) {
      if (resolverRecords.includes(field.name)) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const audit = (context as { audit?: AuditRecorder }).audit;
        if (!audit) return resolve(source, args, context, info);
        const known = knownFields(audit, source, typeName);
        if (known) {
          for (const set of known) set.add(info.fieldName);
          return resolve(source, args, context, info);
        }
        const who = identify(source, context);
        if (!isPromise(who)) {
          remember(audit, source, typeName, recordFieldRead(audit, typeName, who, info.fieldName));
          return resolve(source, args, context, info);
        }
        return who.then((owners) => {
          remember(audit, source, typeName, recordFieldRead(audit, typeName, owners, info.fieldName));
          return resolve(source, args, context, info);
        });
      };
    }
  }
  return schema;
}
