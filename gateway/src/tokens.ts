/** Development tokens live in @medcollab/tokens (light enough for command-line tools); re-exported for tests and scripts. */
export { mintToken, type MintTokenOptions } from '@medcollab/tokens';
