import { DateResolver, DateTimeResolver } from '@medcollab/kit';

/** Date is YYYY-MM-DD; DateTime is ISO 8601. */
export const scalarResolvers = {
  Date: DateResolver,
  DateTime: DateTimeResolver,
};
