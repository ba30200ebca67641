import { readFileSync } from 'node:fs';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { loadGatewayConfig, DEFAULT_SUPERGRAPH_PATH } from '../src/config';
import { operationCost } from '../src/cost';

/** The committed supergraph: its types and arguments are what clients query. */
const schema = buildSchema(readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8'));
const MAX_COST = loadGatewayConfig({}).MAX_COST;

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  return operationCost({ schema, document, operation, variables });
}

const staffPage = /* GraphQL */ `
  query StaffPage($first: Int, $after: String) {
    staffMembers(first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          id
          givenName
          familyName
          email
          roles
          department {
            id
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const blockBoard = /* GraphQL */ `
  query BlockBoard($blockId: ID!, $first: Int!) {
    placements(filter: { blockId: $blockId }, first: $first) {
      totalCount
      edges {
        node {
          id
          status
          startsOn
          endsOn
          student {
            id
            givenName
            familyName
          }
          department {
            id
            name
            specialty
          }
          hospital {
            id
            name
          }
          supervisor {
            id
            givenName
            familyName
          }
        }
      }
    }
  }
`;

const myTasksPage = /* GraphQL */ `
  fragment Scale on ItemScale {
    type
    entrustmentMode
    min
    max
    allowsNotApplicable
    labels {
      value
      label
    }
  }
  query MyTasks($first: Int) {
    myAssessmentTasks(first: $first) {
      edges {
        node {
          id
          role
          status
          dueAt
          week
          subjectStudent {
            id
            givenName
            familyName
          }
          instrument {
            id
            kind
            title
            items {
              key
              label
              category
              required
              scale {
                ...Scale
              }
              competencies {
                id
                code
                title
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** The network admin's institutions and agreements dashboard (bench operation 6a), a page of each. */
const institutionsAndAgreements = /* GraphQL */ `
  query InstitutionsAndAgreements($first: Int!) {
    institutionsPage(first: $first) {
      totalCount
      edges {
        node {
          id
          name
          kind
          departments {
            id
            name
            specialty
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    agreementsPage(first: $first) {
      totalCount
      edges {
        node {
          id
          status
          startsOn
          endsOn
          school {
            name
          }
          hospital {
            name
          }
          departments {
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

describe('operation cost on the real supergraph (calibration of the default MAX_COST)', () => {
  it('lets ordinary dashboard pages through at their largest page size', () => {
    expect(cost(staffPage, { first: 100 })).toBeLessThanOrEqual(MAX_COST);
    expect(cost(myTasksPage, { first: 50 })).toBeLessThanOrEqual(MAX_COST);
    // A coordinator's block board: 200 placements with student, department, hospital and supervisor.
    expect(cost(blockBoard, { first: 200 })).toBeLessThanOrEqual(MAX_COST);
    expect(cost(blockBoard, { first: 200 })).toBeGreaterThan(1.9 * cost(blockBoard, { first: 100 }));
    // Both pages at the API's largest size; the page size counts (a plain list would count once).
    expect(cost(institutionsAndAgreements, { first: 100 })).toBeLessThanOrEqual(MAX_COST);
    expect(cost(institutionsAndAgreements, { first: 100 })).toBeGreaterThan(4 * cost(institutionsAndAgreements, { first: 20 }));
  });

  it('counts the page size whether it is a variable, a literal or left to the default', () => {
    const literal = cost(staffPage.replace('first: $first', 'first: 100'));
    expect(cost(staffPage, { first: 100 })).toBe(literal);
    // Left out: the subgraphs' default page size (20) applies.
    expect(cost(staffPage)).toBe(cost(staffPage, { first: 20 }));
    expect(cost(staffPage, { first: 100 })).toBeGreaterThan(4 * cost(staffPage, { first: 20 }));
  });

  it('refuses nested pages that multiply (a page of students, each with a page of meetings per mentorship)', () => {
    const nested = /* GraphQL */ `
      query ($n: Int, $m: Int) {
        students(first: $n) {
          edges {
            node {
              id
              email
              mentorships {
                id
                meetings(first: $m) {
                  edges {
                    node {
                      id
                    }
                  }
                }
              }
            }
          }
        }
      }
    `;
    expect(cost(nested, { n: 100, m: 100 })).toBeGreaterThan(MAX_COST);
    expect(cost(nested, { n: 10, m: 10 })).toBeLessThanOrEqual(MAX_COST);
  });
});
