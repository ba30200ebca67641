import { QualityAlert, QualityAlertRule } from './alert.entity';
import { RebuildRun } from './rebuild-run.entity';

export { QualityAlert, QualityAlertRule, RebuildRun };

/**
 * Every entity of the quality database, for the DataSource. The rollup tables are written and
 * read with set-based SQL (src/data), so they need no entity classes.
 */
export const entities = [RebuildRun, QualityAlertRule, QualityAlert];
