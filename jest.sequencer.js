/**
 * Longest files first, by the durations recorded in jest.durations.json, so that the two CI
 * workers finish together instead of one running a long end-to-end file alone at the end.
 *
 * Jest does this by itself only with its own timing cache, which lives under the cache directory
 * and is keyed by the checkout's path: CI's fresh clone never has one, and Jest falls back to
 * file size (the fuzzer, one of the longest files, is one of the shortest). The local cache still
 * wins where it exists (a developer's repeated runs); files without any timing run first, as
 * Jest's own sequencer runs them. `pnpm test:durations <jest --json output>` refreshes the file.
 */
const { relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const recorded = require('./jest.durations.json');

class DurationSequencer extends Sequencer {
  time(test) {
    const cached = super.time(test);
    if (cached != null) return cached;
    const seconds = recorded.files[relative(test.context.config.rootDir, test.path)];
    return seconds == null ? undefined : seconds * 1000;
  }
}

module.exports = DurationSequencer;
