/**
 * `accelctl schema [NAME]`: the JSON Schema (draft 2020-12) of a JSON output,
 * generated from the zod schemas in src/output/schemas. NAME is a schema name
 * (`accelctl schema` lists them) or the command whose output it describes
 * (`accelctl schema config show`, `accelctl schema mlx5 caps`).
 */
import type { Command } from 'commander';
import { AccelError } from '../core/errors';
import { table } from '../sdk/view';
import { action } from '../cli/action';
import { writeStdout } from '../output/stdout';

export function register(program: Command): void {
  program
    .command('schema')
    .description('Print the JSON Schema of a command\'s JSON output (-o json); without NAME, list the schemas')
    .argument('[name...]', 'schema name, or the command it describes (e.g. "config show")')
    .addHelpText('after', '\nThe schema is JSON whatever -o says. Examples:\n  $ accelctl schema list\n  $ accelctl schema config show > config-show.schema.json\n  $ accelctl schema -o json')
    .action(
      action(async (runtime, [words]) => {
        const { OUTPUT_SCHEMAS, OUTPUT_SCHEMA_NAMES, jsonSchemaOf } = await import('../output/schemas');
        const parts = ((words as string[] | undefined) ?? []).flatMap((w) => w.split(/\s+/)).filter(Boolean);
        if (parts.length === 0) {
          const schemas = OUTPUT_SCHEMA_NAMES.map((name) => ({ name, description: OUTPUT_SCHEMAS[name].description ?? '' }));
          await runtime.output.result({ schemas }, () => [table(undefined, ['NAME', 'DESCRIBES'], schemas.map((s) => [s.name, s.description]))]);
          return;
        }
        const wanted = parts.join('-');
        let name = OUTPUT_SCHEMA_NAMES.find((n) => n === wanted);
        if (!name) {
          // A command path: look its output schema up in the command metadata.
          const { buildMetadata } = await import('./commands');
          const meta = await buildMetadata();
          const command = meta.commands.find((c) => c.path.join('-') === wanted);
          if (command && command.output_schema === null) throw new AccelError('ACCELCTL_E_USAGE', `'accelctl ${command.command}' prints no JSON document`);
          name = OUTPUT_SCHEMA_NAMES.find((n) => n === command?.output_schema);
        }
        if (!name) throw new AccelError('ACCELCTL_E_USAGE', `no output schema named '${parts.join(' ')}'`, { hint: `schemas: ${OUTPUT_SCHEMA_NAMES.join(', ')}` });
        writeStdout(`${JSON.stringify(jsonSchemaOf(name), null, 2)}\n`);
      }),
    );
}
