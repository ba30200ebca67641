import { DateResolver, DateTimeResolver } from 'graphql-scalars';

/**
 * Date is YYYY-MM-DD; DateTime is ISO 8601. Every subgraph declares both scalars in its SDL
 * and the kit adds these resolvers to every schema it builds, so no service writes them.
 */
export const scalarResolvers = {
  Date: DateResolver,
  DateTime: DateTimeResolver,
};
