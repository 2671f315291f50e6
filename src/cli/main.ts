#!/usr/bin/env node
import { Command, CommanderError } from 'commander';

import { DomainError } from '../core/errors.js';
import { registerAdminCommands } from './commands/admin.js';
import { registerCarrierCommands } from './commands/carrier.js';
import { registerDetectCommand } from './commands/detect.js';
import { registerImportCommand } from './commands/import.js';
import { registerServerCommands } from './commands/server.js';
import { registerTrackingCommands } from './commands/tracking.js';
import { readVersion } from './runtime.js';
import { UsageError } from './usage-error.js';

const EXIT_USAGE = 2;

function fail(message: string, code: number): never {
  process.stderr.write(`waymark: ${message.replace(/\s*\n\s*/g, ' ').replace(/^error:\s*/, '')}\n`);
  process.exit(code);
}

export function buildProgram(): Command {
  const program = new Command('waymark')
    .description(
      'Waymark: order status from the selling platform, shipping status from the carrier, customers kept informed.',
    )
    .version(readVersion(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  registerServerCommands(program);
  registerAdminCommands(program);
  registerDetectCommand(program);
  registerTrackingCommands(program);
  registerCarrierCommands(program);
  registerImportCommand(program);
  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput({ writeErr: () => undefined });
    for (const sub of command.commands) sub.exitOverride().configureOutput({ writeErr: () => undefined });
  }
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        process.exit(0);
      // A bare `waymark store` shows its help; that is not an error.
      if (error.code === 'commander.executeSubCommandAsync') process.exit(0);
      fail(error.message, EXIT_USAGE);
    }
    if (error instanceof UsageError) fail(error.message, EXIT_USAGE);
    if (error instanceof DomainError) fail(error.message, 1);
    fail(error instanceof Error ? (error.stack ?? error.message) : String(error), 1);
  }
}

await main(process.argv);
