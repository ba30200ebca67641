import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's arguments the same way for every script: `--help` (or `-h`) prints the
 * usage and exits 0 before anything runs; an unknown option or a stray argument prints the
 * usage and exits 2, so no command ever runs on a typo.
 */
export function parseCommandLine<O extends Options>(usage: string, options: O, argv: string[] = process.argv.slice(2)) {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage.trim()}\n`);
    process.exit(0);
  }
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage.trim()}`);
    process.exit(2);
  }
}
