import { createHash } from 'node:crypto';
import { BadUserInputError } from '@medcollab/kit';
import { z } from 'zod';
import { type CompetencyDomain } from './model';
import { createFrameworkSchema, type CreateFrameworkInput, MAX_COMPETENCIES } from './validation/frameworks';

/**
 * 1EdTech CASE (Competencies and Academic Standards Exchange) packages of a framework: a
 * CFDocument, its CFItems and the CFAssociations (`isChildOf`) that build the hierarchy.
 * Mapping: title → fullStatement, code → humanCodingScheme, description → notes, category →
 * conceptKeywords[0], domain → CFItemType ("Technical competency" / "Non-technical
 * competency"). Items are listed parents first, siblings in authored order, and each
 * association carries the sibling's sequenceNumber, so export → import → export gives the
 * same package apart from identifiers and change times. Pure.
 */

export const CASE_URI_PREFIX = 'urn:medcollab:case';
const uri = (kind: string, id: string) => `${CASE_URI_PREFIX}:${kind}:${id}`;

export interface CaseSourceCompetency {
  id: string;
  parentId: string | null;
  code: string;
  title: string;
  description: string | null;
  domain: CompetencyDomain;
  category: string;
  position: number;
}

export interface CaseSource {
  id: string;
  name: string;
  version: string;
  description: string | null;
  /** Who maintains it (institution id), or null for the network. */
  ownerId: string | null;
  lastChange: Date;
  competencies: readonly CaseSourceCompetency[];
}

interface LinkURI {
  title: string;
  identifier: string;
  uri: string;
}

export interface CasePackage {
  CFDocument: {
    identifier: string;
    uri: string;
    creator: string;
    title: string;
    version: string;
    description?: string;
    lastChangeDateTime: string;
    adoptionStatus: string;
    language: string;
  };
  CFItems: {
    identifier: string;
    uri: string;
    CFDocumentURI: LinkURI;
    fullStatement: string;
    humanCodingScheme: string;
    CFItemType: string;
    conceptKeywords: string[];
    notes?: string;
    language: string;
    lastChangeDateTime: string;
  }[];
  CFAssociations: {
    identifier: string;
    uri: string;
    CFDocumentURI: LinkURI;
    associationType: 'isChildOf';
    sequenceNumber: number;
    originNodeURI: LinkURI;
    destinationNodeURI: LinkURI;
    lastChangeDateTime: string;
  }[];
}

const ITEM_TYPE: Record<CompetencyDomain, string> = { TECHNICAL: 'Technical competency', NON_TECHNICAL: 'Non-technical competency' };

/** A stable identifier for an association, derived from its child (a child has one parent). */
function associationId(childId: string): string {
  const hex = createHash('sha1').update(`medcollab-case-association:${childId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** Parents before children, siblings by position (depth first). */
function hierarchyOrder<T extends { id: string; parentId: string | null; position: number }>(
  items: readonly T[],
): { item: T; sibling: number }[] {
  const children = new Map<string | null, T[]>();
  const ids = new Set(items.map((i) => i.id));
  for (const item of items) {
    const parent = item.parentId !== null && ids.has(item.parentId) ? item.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), item]);
  }
  for (const list of children.values()) list.sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
  const ordered: { item: T; sibling: number }[] = [];
  const visit = (parent: string | null) => {
    (children.get(parent) ?? []).forEach((item, i) => {
      ordered.push({ item, sibling: i + 1 });
      visit(item.id);
    });
  };
  visit(null);
  return ordered;
}

export function toCasePackage(src: CaseSource): CasePackage {
  const changed = src.lastChange.toISOString();
  const docLink: LinkURI = { title: src.name, identifier: src.id, uri: uri('CFDocuments', src.id) };
  const ordered = hierarchyOrder(src.competencies);
  const byId = new Map(src.competencies.map((c) => [c.id, c]));
  const itemLink = (c: CaseSourceCompetency): LinkURI => ({ title: c.title, identifier: c.id, uri: uri('CFItems', c.id) });
  return {
    CFDocument: {
      identifier: src.id,
      uri: docLink.uri,
      creator: src.ownerId ? `MedCollab institution ${src.ownerId}` : 'MedCollab network',
      title: src.name,
      version: src.version,
      ...(src.description ? { description: src.description } : {}),
      lastChangeDateTime: changed,
      adoptionStatus: 'Adopted',
      language: 'en',
    },
    CFItems: ordered.map(({ item: c }) => ({
      identifier: c.id,
      uri: uri('CFItems', c.id),
      CFDocumentURI: docLink,
      fullStatement: c.title,
      humanCodingScheme: c.code,
      CFItemType: ITEM_TYPE[c.domain],
      conceptKeywords: [c.category],
      ...(c.description ? { notes: c.description } : {}),
      language: 'en',
      lastChangeDateTime: changed,
    })),
    CFAssociations: ordered.map(({ item: c, sibling }) => {
      const parent = c.parentId ? byId.get(c.parentId) : undefined;
      const id = associationId(c.id);
      return {
        identifier: id,
        uri: uri('CFAssociations', id),
        CFDocumentURI: docLink,
        associationType: 'isChildOf' as const,
        sequenceNumber: sibling,
        originNodeURI: itemLink(c),
        destinationNodeURI: parent ? itemLink(parent) : docLink,
        lastChangeDateTime: changed,
      };
    }),
  };
}

const nodeRef = z.looseObject({ identifier: z.string().min(1, 'must not be empty') });
const casePackageSchema = z.looseObject({
  CFDocument: z.looseObject({
    identifier: z.string().min(1, 'must not be empty'),
    title: z.string(),
    version: z.string().optional(),
    description: z.string().optional(),
  }),
  CFItems: z
    .array(
      z.looseObject({
        identifier: z.string().min(1, 'must not be empty'),
        fullStatement: z.string(),
        humanCodingScheme: z.string({ error: 'is required: it becomes the competency code' }),
        CFItemType: z.string().optional(),
        conceptKeywords: z.array(z.string()).optional(),
        notes: z.string().optional(),
      }),
    )
    .max(MAX_COMPETENCIES, `must list at most ${MAX_COMPETENCIES}`),
  CFAssociations: z
    .array(
      z.looseObject({
        associationType: z.string(),
        originNodeURI: nodeRef,
        destinationNodeURI: nodeRef,
        sequenceNumber: z.number().int().optional(),
      }),
    )
    .optional()
    .transform((v) => v ?? []),
});

type Issue = { path: string; message: string };
const refuse = (issues: Issue[]): never => {
  throw new BadUserInputError(`Invalid CASE package: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
    field: 'document',
    fields: issues,
  });
};

/** Version of a package that names none. */
export const DEFAULT_CASE_VERSION = '1.0';

/**
 * A framework's creation input from a CASE package (JSON text). Every problem is reported with
 * its path in the package (`document.CFItems.3.humanCodingScheme`); nothing is written.
 */
export function fromCasePackage(text: string): CreateFrameworkInput {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return refuse([{ path: 'document', message: `is not JSON (${(error as Error).message})` }]);
  }
  const parsed = casePackageSchema.safeParse(json);
  if (!parsed.success) return refuse(parsed.error.issues.map((i) => ({ path: ['document', ...i.path].join('.'), message: i.message })));
  const pkg = parsed.data;

  const itemIndex = new Map(pkg.CFItems.map((item, i) => [item.identifier, i]));
  const parents = new Map<string, { parent: string; sequence: number; association: number }>();
  const issues: Issue[] = [];
  pkg.CFAssociations.forEach((a, i) => {
    if (a.associationType !== 'isChildOf') return;
    const child = a.originNodeURI.identifier;
    const parent = a.destinationNodeURI.identifier;
    if (!itemIndex.has(child))
      return issues.push({ path: `document.CFAssociations.${i}.originNodeURI`, message: `names no CFItem of this package (${child})` });
    if (parent !== pkg.CFDocument.identifier && !itemIndex.has(parent)) {
      return issues.push({
        path: `document.CFAssociations.${i}.destinationNodeURI`,
        message: `names neither the CFDocument nor a CFItem of this package (${parent})`,
      });
    }
    if (parents.has(child))
      return issues.push({ path: `document.CFAssociations.${i}`, message: `gives CFItem ${child} a second parent; a competency has one` });
    parents.set(child, { parent, sequence: a.sequenceNumber ?? Number.MAX_SAFE_INTEGER, association: i });
  });
  if (issues.length) refuse(issues);

  // Authored order: parents first, siblings by sequenceNumber, then as listed.
  const listed = pkg.CFItems.map((item, i) => {
    const link = parents.get(item.identifier);
    const parentId = link && link.parent !== pkg.CFDocument.identifier ? link.parent : null;
    return { id: item.identifier, parentId, position: (link?.sequence ?? Number.MAX_SAFE_INTEGER) * 1e6 + i, item, index: i };
  });
  const ordered = hierarchyOrder(listed).map((o) => o.item);
  // Items caught in a parent cycle never hang below the document: keep them, so the cycle is reported.
  const placed = new Set(ordered.map((o) => o.id));
  const all = [...ordered, ...listed.filter((l) => !placed.has(l.id))];
  const codeOf = (identifier: string) => pkg.CFItems[itemIndex.get(identifier) as number]?.humanCodingScheme ?? identifier;

  const candidate = {
    name: pkg.CFDocument.title,
    version: pkg.CFDocument.version ?? DEFAULT_CASE_VERSION,
    description: pkg.CFDocument.description ?? null,
    competencies: all.map(({ item, parentId }) => ({
      code: item.humanCodingScheme,
      title: item.fullStatement,
      description: item.notes ?? null,
      domain: /non[-\s]?technical/i.test(item.CFItemType ?? '') ? 'NON_TECHNICAL' : 'TECHNICAL',
      category: item.conceptKeywords?.[0] ?? 'general',
      parentCode: parentId ? codeOf(parentId) : null,
    })),
  };
  const result = createFrameworkSchema.safeParse(candidate);
  if (result.success) return result.data;
  const CASE_FIELDS: Record<string, string> = {
    code: 'humanCodingScheme',
    title: 'fullStatement',
    description: 'notes',
    category: 'conceptKeywords',
    parentCode: 'isChildOf',
  };
  return refuse(
    result.error.issues.map((issue) => {
      const [head, index, field] = issue.path as [string, number | undefined, string | undefined];
      if (head === 'name') return { path: 'document.CFDocument.title', message: issue.message };
      if (head === 'version' || head === 'description') return { path: `document.CFDocument.${head}`, message: issue.message };
      if (head === 'competencies' && index !== undefined) {
        return {
          path: `document.CFItems.${all[index]?.index ?? index}.${CASE_FIELDS[field ?? ''] ?? field ?? ''}`,
          message: issue.message,
        };
      }
      return { path: 'document.CFAssociations', message: issue.message };
    }),
  );
}
