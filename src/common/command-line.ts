import { existsSync } from 'node:fs';
import { parseArgs, ParseArgsConfig } from 'node:util';

/**
 * The one way the command-line tools read their arguments (node:util parseArgs): `--flag value` and
 * `--flag=value` alike, `--help` anywhere, unknown options refused by name. `runCommandLine` turns the
 * errors below into one line on stderr and the exit code (help 0, usage 2, other problems 1).
 */

/** Wrong arguments: the message, then the usage, exit code 2. */
export class CliUsageError extends Error {}

/** `--help` was given: the usage on stdout, exit code 0, nothing else done. */
export class CliHelpRequested extends Error {}

/** A file named on the command line does not exist. */
export class CliFileNotFoundError extends Error {
  constructor(readonly path: string) {
    super(`file not found: ${path}`);
  }
}

/** A problem explained by its message alone (no stack trace): "Error: <message>", exit code 1. */
export class CliError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommandLine<V> {
  values: V;
  positionals: string[];
}

/**
 * Parses `argv` against `options` (besides --help/-h). Throws CliHelpRequested for --help and
 * CliUsageError for an unknown option, a missing value or a positional where none is expected.
 */
export function parseCommandLine<O extends Options>(
  argv: string[],
  options: O,
  { positionals = false }: { positionals?: boolean } = {},
): ParsedCommandLine<ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values']> {
  if (argv.includes('--help') || argv.includes('-h')) throw new CliHelpRequested();
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    if (!positionals && parsed.positionals.length) throw new CliUsageError(`unexpected argument "${parsed.positionals[0]}"`);
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (error) {
    throw usageError(error);
  }
}

/** parseArgs' errors in the tools' words. */
function usageError(error: unknown): unknown {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message ?? '')?.[1];
    return new CliUsageError(`unknown option ${option ?? message}`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /'(--?[\w-]+)/.exec(message ?? '')?.[1];
    return new CliUsageError(option ? `unexpected argument "${option}": it needs a value` : (message ?? 'invalid option'));
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new CliUsageError(message ?? 'unexpected argument');
  return error;
}

/** Throws CliFileNotFoundError for the first path that does not exist. */
export function requireFiles(paths: Iterable<string>): void {
  for (const path of paths) if (!existsSync(path)) throw new CliFileNotFoundError(path);
}

/**
 * Runs a tool's `main` as the process: exits with its code (0 when it returns nothing), and reports the
 * errors above in one line. `describe` names other errors a tool knows how to explain (null: print the stack).
 */
export function runCommandLine(usage: string, main: () => Promise<number | void>, describe: (error: unknown) => string | null = () => null): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      if (error instanceof CliHelpRequested) {
        process.stdout.write(`${usage}\n`, () => process.exit(0));
        return;
      }
      if (error instanceof CliUsageError) {
        console.error(`${error.message}\n\n${usage}`);
        process.exit(2);
      }
      const described = error instanceof CliFileNotFoundError ? error.message : error instanceof CliError ? `Error: ${error.message}` : describe(error);
      console.error(described ?? (error instanceof Error ? (error.stack ?? error.message) : String(error)));
      process.exit(1);
    },
  );
}
