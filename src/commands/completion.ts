/**
 * `accelctl completion bash|zsh|fish`: print a shell completion script,
 * generated from the command metadata (`accelctl commands -o json`).
 */
import { Argument, type Command } from 'commander';
import { action } from '../cli/action';
import { writeStdout } from '../output/stdout';

export async function completionScript(shell: string): Promise<string> {
  const [{ buildMetadata }, { completionModel, renderCompletion }, { OUTPUT_SCHEMA_NAMES }] = await Promise.all([
    import('./commands'),
    import('../cli/completion'),
    import('../output/schemas'),
  ]);
  return renderCompletion(shell as 'bash', completionModel(await buildMetadata(), OUTPUT_SCHEMA_NAMES));
}

export function register(program: Command): void {
  program
    .command('completion')
    .description('Print a shell completion script (commands, plugin subcommands, options, option values, live device names)')
    .addArgument(new Argument('<shell>', 'the shell to complete for').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      `
Where distributions install them:
  accelctl completion bash > /usr/share/bash-completion/completions/accelctl
  accelctl completion zsh  > /usr/share/zsh/vendor-completions/_accelctl
  accelctl completion fish > /usr/share/fish/vendor_completions.d/accelctl.fish

For this shell only:
  $ source <(accelctl completion bash)`,
    )
    .action(
      action(async (_runtime, [shell]) => {
        writeStdout(await completionScript(String(shell)));
      }),
    );
}
