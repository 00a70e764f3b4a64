/**
 * Shell completion scripts (bash, zsh, fish), generated from the command
 * metadata (`accelctl commands -o json`), so they complete exactly the commands,
 * plugin subcommands, options and option values the program has. Device names
 * are completed live from `accelctl list -o json`, run with the --sim,
 * --sim-dir and --root given on the line being completed (ACCELCTL_SIM_DIR and
 * ACCELCTL_ROOT reach it through the environment).
 */
import type { ArgumentMeta, CommandsOutput, OptionMeta } from '../output/schemas';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What completes a value: fixed words, live device names, files, directories, or nothing. */
type ValueSpec = { kind: 'words'; words: string[] } | { kind: 'device' | 'file' | 'directory' } | { kind: 'none' };

interface Node {
  /** '' for the top level, else the words after accelctl. */
  path: string;
  subs: { name: string; summary: string }[];
  options: OptionMeta[];
  args: ArgumentMeta[];
}

export interface CompletionModel {
  version: string;
  nodes: Node[];
  globals: OptionMeta[];
  /** Fleet-selecting global options passed on to `accelctl list`. */
  fleetFlags: { flag: string; value: boolean }[];
  valueSpec(item: OptionMeta | ArgumentMeta): ValueSpec;
}

const HELP_OPTION: OptionMeta = {
  flags: '-h, --help',
  long: '--help',
  short: '-h',
  negate: false,
  takes_value: 'none',
  value_name: null,
  variadic: false,
  mandatory: false,
  choices: null,
  default: null,
  description: 'display help for command',
  complete: null,
};

export function completionModel(meta: Omit<CommandsOutput, 'schema_version'>, schemaNames: readonly string[]): CompletionModel {
  const top = meta.commands.filter((c) => c.parent === null);
  const plugins = [...new Set(meta.commands.map((c) => c.plugin).filter((p): p is string => p !== null))];
  const nodes: Node[] = [{ path: '', subs: top.map((c) => ({ name: c.name, summary: c.summary })), options: [], args: [] }];
  for (const c of meta.commands) {
    const subs = meta.commands.filter((s) => s.parent === c.command).map((s) => ({ name: s.name, summary: s.summary }));
    nodes.push({ path: c.command, subs, options: c.options, args: c.arguments });
  }
  const globals = [...meta.program.options, HELP_OPTION];
  const fleetFlags = globals
    .filter((o) => o.long === '--sim' || o.long === '--sim-dir' || o.long === '--root')
    .map((o) => ({ flag: o.long!, value: o.takes_value !== 'none' }));
  return {
    version: meta.program.version,
    nodes,
    globals,
    fleetFlags,
    valueSpec(item) {
      if (item.choices) return { kind: 'words', words: item.choices };
      switch (item.complete) {
        case 'plugin':
          return { kind: 'words', words: plugins };
        case 'command':
          return { kind: 'words', words: top.map((c) => c.name) };
        case 'schema':
          return { kind: 'words', words: [...schemaNames] };
        case 'device':
        case 'file':
        case 'directory':
          return { kind: item.complete };
        default:
          return { kind: 'none' };
      }
    },
  };
}

/** Single-quote for POSIX shells (and zsh): 'it'\''s'. */
function sq(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Single-quote for fish, where only \ and ' are special inside quotes. */
function fq(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function flagsOf(option: OptionMeta): string[] {
  return [option.short, option.long].filter((f): f is string => f !== null);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The value spec as one shell word: "words a b c", "device", "file", "directory". */
function specWord(spec: ValueSpec): string | undefined {
  if (spec.kind === 'none') return undefined;
  return spec.kind === 'words' ? `words ${spec.words.join(' ')}` : spec.kind;
}

/** Case arms "PATH|OPTION) spec" shared by bash and zsh; '#N' is positional N. */
function valueArms(model: CompletionModel): string[] {
  const arms: string[] = [];
  for (const node of model.nodes) {
    for (const option of node.options) {
      if (option.takes_value === 'none') continue;
      const spec = specWord(model.valueSpec(option));
      if (spec) arms.push(`        ${flagsOf(option).map((f) => sq(`${node.path}|${f}`)).join('|')}) REPLY=${sq(spec)} ;;`);
    }
    node.args.forEach((arg, i) => {
      const spec = specWord(model.valueSpec(arg));
      if (spec) arms.push(`        ${sq(`${node.path}|#${i}`)}) REPLY=${sq(spec)} ;;`);
    });
  }
  for (const option of model.globals) {
    if (option.takes_value === 'none') continue;
    const spec = specWord(model.valueSpec(option));
    if (spec) arms.push(`        ${flagsOf(option).map((f) => `*${sq(`|${f}`)}`).join('|')}) REPLY=${sq(spec)} ;;`);
  }
  return arms;
}

function valueOptions(options: readonly OptionMeta[]): string {
  return options.filter((o) => o.takes_value !== 'none').flatMap(flagsOf).join(' ');
}

function header(shell: string, version: string): string {
  return `# ${shell} completion for accelctl ${version}
# Generated by 'accelctl completion ${shell}' from the command metadata
# ('accelctl commands -o json'); do not edit, regenerate.`;
}

// ---------------------------------------------------------------- bash

function bashScript(model: CompletionModel): string {
  const nodeArms = model.nodes.map((n) => {
    const variadic = n.args.at(-1)?.variadic ? 1 : 0;
    return `        ${sq(n.path)}) subs=${sq(n.subs.map((s) => s.name).join(' '))}; opts=${sq(n.options.flatMap(flagsOf).join(' '))}; vopts=${sq(valueOptions(n.options))}; nargs=${n.args.length}; variadic=${variadic} ;;`;
  });
  const fleet = model.fleetFlags.map((f) => f.flag).join('|');
  return `${header('bash', model.version)}
# Install: accelctl completion bash > /usr/share/bash-completion/completions/accelctl

_accelctl_globals=${sq(model.globals.flatMap(flagsOf).join(' '))}
_accelctl_global_vopts=${sq(valueOptions(model.globals))}

# Sets subs, opts, vopts, nargs and variadic for the command path $1.
_accelctl_node() {
    subs='' opts='' vopts='' nargs=0 variadic=0
    case $1 in
${nodeArms.join('\n')}
    esac
}

# Sets REPLY to how the value of option $2 (or positional #N) of path $1 completes.
_accelctl_value() {
    REPLY=''
    case "$1|$2" in
${valueArms(model).join('\n')}
    esac
}

# Device names (and, when a prefix is typed, PCI addresses and serials) from
# 'accelctl list -o json'. Arguments: the accelctl command and fleet options.
_accelctl_devices() {
    local json line re='"(name|pci|serial)": "([^"]*)"' a prev=''
    # Listing a --sim-dir that is not a fleet yet would create one: offer nothing.
    for a in "$@"; do
        [[ $prev == --sim-dir && ! -d $a ]] && return 0
        prev=$a
    done
    json=$("$@" list -o json 2>/dev/null) || [[ -n $json ]] || return 0
    _accelctl_names=() _accelctl_other=()
    while IFS= read -r line; do
        if [[ $line =~ $re ]]; then
            if [[ \${BASH_REMATCH[1]} == name ]]; then
                _accelctl_names+=("\${BASH_REMATCH[2]}")
            else
                _accelctl_other+=("\${BASH_REMATCH[2]}")
            fi
        fi
    done <<<"$json"
}

# Complete the value described by spec $1 for the word $2.
_accelctl_complete_value() {
    local spec=$1 cur=$2
    case $spec in
        words\\ *)
            COMPREPLY=($(compgen -W "\${spec#words }" -- "$cur"))
            ;;
        device)
            local -a _accelctl_names=() _accelctl_other=()
            _accelctl_devices "\${_accelctl_cmd[@]}" "\${_accelctl_fleet[@]}"
            local -a candidates=("\${_accelctl_names[@]}")
            [[ -n $cur ]] && candidates+=("\${_accelctl_other[@]}")
            local IFS=$'\\n'
            COMPREPLY=($(compgen -W "\${candidates[*]}" -- "$cur"))
            ;;
        file)
            if declare -F _filedir >/dev/null; then
                _filedir
            else
                compopt -o filenames 2>/dev/null
                local IFS=$'\\n'
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
            ;;
        directory)
            if declare -F _filedir >/dev/null; then
                _filedir -d
            else
                compopt -o filenames 2>/dev/null
                local IFS=$'\\n'
                COMPREPLY=($(compgen -d -- "$cur"))
            fi
            ;;
    esac
}

_accelctl() {
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion -n =: || return
    else
        words=("\${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur=\${COMP_WORDS[COMP_CWORD]}
        prev=\${COMP_WORDS[COMP_CWORD - 1]}
    fi
    COMPREPLY=()

    local -a _accelctl_cmd=("\${words[0]/#\\~/$HOME}") _accelctl_fleet=()
    local cpath='' subs opts vopts nargs variadic pos=0 i w value_of='' REPLY
    _accelctl_node ''
    for ((i = 1; i < cword; i++)); do
        w=\${words[i]}
        # Without bash-completion's word joining, --opt=VALUE arrives as '--opt' '=' 'VALUE'.
        [[ -n $value_of && $w == = ]] && continue
        if [[ -n $value_of ]]; then
            case $value_of in ${fleet || '--sim-dir'}) _accelctl_fleet+=("$value_of" "\${w/#\\~/$HOME}") ;; esac
            value_of=''
            continue
        fi
        case $w in
            --) continue ;;
            --*=*)
                case \${w%%=*} in ${fleet || '--sim-dir'}) _accelctl_fleet+=("\${w%%=*}" "\${w#*=}") ;; esac
                continue
                ;;
            -*)
                [[ $w == --sim ]] && _accelctl_fleet+=(--sim)
                [[ " $vopts $_accelctl_global_vopts " == *" $w "* ]] && value_of=$w
                continue
                ;;
        esac
        if [[ -n $subs && " $subs " == *" $w "* ]]; then
            cpath=\${cpath:+$cpath }$w
            _accelctl_node "$cpath"
            pos=0
        else
            ((pos++))
        fi
    done

    # The value of an option: "--opt VALUE" or "--opt=VALUE".
    local option=$value_of
    if [[ -z $option && $cur == --*=* ]]; then
        option=\${cur%%=*}
        cur=\${cur#*=}
    fi
    if [[ -n $option ]]; then
        _accelctl_value "$cpath" "$option"
        _accelctl_complete_value "$REPLY" "$cur"
        declare -F __ltrim_colon_completions >/dev/null && __ltrim_colon_completions "$cur"
        return 0
    fi

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts $_accelctl_globals" -- "$cur"))
        return 0
    fi
    if [[ -n $subs ]]; then
        COMPREPLY=($(compgen -W "$subs" -- "$cur"))
        return 0
    fi
    if ((pos >= nargs)); then
        ((variadic)) || return 0
        pos=$((nargs - 1))
    fi
    _accelctl_value "$cpath" "#$pos"
    _accelctl_complete_value "$REPLY" "$cur"
    declare -F __ltrim_colon_completions >/dev/null && __ltrim_colon_completions "$cur"
    return 0
}

complete -F _accelctl accelctl
`;
}

// ---------------------------------------------------------------- zsh

function zshScript(model: CompletionModel): string {
  const describe = (name: string, text: string) => sq(`${name.replace(/:/g, '\\:')}:${oneLine(text)}`);
  const nodeArms = model.nodes.map((n) => {
    const variadic = n.args.at(-1)?.variadic ? 1 : 0;
    const opts = n.options.flatMap((o) => flagsOf(o).map((f) => describe(f, o.description)));
    return `        ${sq(n.path)})
            subs=(${n.subs.map((s) => describe(s.name, s.summary)).join(' ')})
            opts=(${opts.join(' ')})
            vopts=(${valueOptions(n.options)})
            nargs=${n.args.length} variadic=${variadic} ;;`;
  });
  const globals = model.globals.flatMap((o) => flagsOf(o).map((f) => describe(f, o.description)));
  const fleet = model.fleetFlags.map((f) => f.flag).join('|');
  return `#compdef accelctl
${header('zsh', model.version)}
# Install: accelctl completion zsh > /usr/share/zsh/vendor-completions/_accelctl

# Sets subs, opts, vopts, nargs and variadic for the command path $1.
_accelctl_node() {
    subs=() opts=() vopts=() nargs=0 variadic=0
    case $1 in
${nodeArms.join('\n')}
    esac
}

# Sets REPLY to how the value of option $2 (or positional #N) of path $1 completes.
_accelctl_value() {
    REPLY=''
    case "$1|$2" in
${valueArms(model).join('\n')}
    esac
}

_accelctl_complete_value() {
    local spec=$1
    case $spec in
        words\\ *)
            local -a values
            values=(\${=spec#words })
            compadd -a values
            ;;
        device)
            local json
            local -a names
            (( \${_accelctl_fleet[(Ie)--sim-dir]} )) && [[ ! -d \${_accelctl_fleet[\${_accelctl_fleet[(Ie)--sim-dir]} + 1]} ]] && return
            json=$("\${_accelctl_cmd[@]}" "\${_accelctl_fleet[@]}" list -o json 2>/dev/null)
            names=(\${(f)"$(print -r -- "$json" | sed -n 's/.*"name": "\\([^"]*\\)".*/\\1/p')"})
            (( \${#names} )) && _describe -t devices 'fwctl device' names
            ;;
        file) _files ;;
        directory) _directories ;;
    esac
}

_accelctl() {
    local -a subs opts vopts _accelctl_fleet _accelctl_cmd
    local -a globals=(${globals.join(' ')})
    local -a global_vopts=(${valueOptions(model.globals)})
    local cpath='' nargs variadic pos=0 i w value_of='' REPLY cur=\${words[CURRENT]}
    _accelctl_cmd=(\${~words[1]})
    _accelctl_node ''
    for ((i = 2; i < CURRENT; i++)); do
        w=\${words[i]}
        if [[ -n $value_of ]]; then
            case $value_of in (${fleet || '--sim-dir'}) _accelctl_fleet+=("$value_of" "\${~w}") ;; esac
            value_of=''
            continue
        fi
        case $w in
            (--) continue ;;
            (--*=*)
                case \${w%%=*} in (${fleet || '--sim-dir'}) _accelctl_fleet+=("\${w%%=*}" "\${w#*=}") ;; esac
                continue ;;
            (-*)
                [[ $w == --sim ]] && _accelctl_fleet+=(--sim)
                (( \${vopts[(Ie)$w]} || \${global_vopts[(Ie)$w]} )) && value_of=$w
                continue ;;
        esac
        if (( \${#subs} )) && (( \${subs[(I)\${(b)w}:*]} )); then
            cpath=\${cpath:+$cpath }$w
            _accelctl_node "$cpath"
            pos=0
        else
            (( pos++ ))
        fi
    done

    local option=$value_of
    if [[ -z $option && $cur == --*=* ]]; then
        option=\${cur%%=*}
        compset -P '*='
    fi
    if [[ -n $option ]]; then
        _accelctl_value "$cpath" "$option"
        _accelctl_complete_value "$REPLY"
        return
    fi
    if [[ $cur == -* ]]; then
        _describe -t options 'option' opts -- globals
        return
    fi
    if (( \${#subs} )); then
        _describe -t commands 'accelctl command' subs
        return
    fi
    if (( pos >= nargs )); then
        (( variadic )) || return 1
        pos=$(( nargs - 1 ))
    fi
    _accelctl_value "$cpath" "#$pos"
    _accelctl_complete_value "$REPLY"
}

if [[ $funcstack[1] == _accelctl ]]; then
    _accelctl "$@"
else
    (( $+functions[compdef] )) && compdef _accelctl accelctl
fi
`;
}

// ---------------------------------------------------------------- fish

function fishScript(model: CompletionModel): string {
  const lines: string[] = [];
  const pathArms = model.nodes
    .filter((n) => n.path !== '')
    .map((n) => n.path);
  const vopts = model.nodes.map((n) => `        case ${fq(n.path)}\n            echo ${valueOptions(n.options) || "''"}`);
  const nargs = model.nodes.map((n) => `        case ${fq(n.path)}\n            echo ${n.args.length} ${n.args.at(-1)?.variadic ? 1 : 0}`);

  const valueArgs = (spec: ValueSpec): string => {
    switch (spec.kind) {
      case 'words':
        return `-x -a ${fq(spec.words.join(' '))}`;
      case 'device':
        return `-x -a '(__accelctl_devices)'`;
      case 'file':
        return '-r -F';
      case 'directory':
        return `-x -a '(__fish_complete_directories (commandline -ct))'`;
      default:
        return '-x';
    }
  };
  const optionLine = (option: OptionMeta, condition: string | undefined): string => {
    const parts = ['complete -c accelctl'];
    if (condition) parts.push(`-n ${fq(condition)}`);
    if (option.short) parts.push(`-s ${option.short.replace(/^-/, '')}`);
    if (option.long) parts.push(`-l ${option.long.replace(/^--/, '')}`);
    if (option.takes_value !== 'none') parts.push(valueArgs(model.valueSpec(option)));
    parts.push(`-d ${fq(oneLine(option.description))}`);
    return parts.join(' ');
  };

  lines.push(`${header('fish', model.version)}
# Install: accelctl completion fish > /usr/share/fish/vendor_completions.d/accelctl.fish

# Options that take a value, for the command path $argv[1].
function __accelctl_vopts
    switch "$argv[1]"
${vopts.join('\n')}
    end
end

# Number of positional arguments, and 1 when the last is variadic, for path $argv[1].
function __accelctl_nargs
    switch "$argv[1]"
${nargs.join('\n')}
    end
end

set -g __accelctl_paths ${pathArms.map(fq).join(' ')}
set -g __accelctl_global_vopts ${valueOptions(model.globals)}

# Walk the line: prints the command path, the number of operands after it, and
# the fleet options (--sim, --sim-dir DIR, --root DIR) given on it.
function __accelctl_state
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path ''
    set -l pos 0
    set -l value_of ''
    set -l fleet
    for t in $tokens
        if test -n "$value_of"
            contains -- $value_of ${model.fleetFlags.filter((f) => f.value).map((f) => f.flag).join(' ')}; and set -a fleet $value_of $t
            set value_of ''
            continue
        end
        switch $t
            case '--'
                continue
            case '--*=*'
                set -l parts (string split -m 1 = -- $t)
                contains -- $parts[1] ${model.fleetFlags.filter((f) => f.value).map((f) => f.flag).join(' ')}; and set -a fleet $parts[1] $parts[2]
                continue
            case '-*'
                test "$t" = --sim; and set -a fleet --sim
                if contains -- $t (string split ' ' -- (__accelctl_vopts "$path")) $__accelctl_global_vopts
                    set value_of $t
                end
                continue
        end
        set -l next (string trim -- "$path $t")
        if contains -- $next $__accelctl_paths
            set path $next
            set pos 0
        else
            set pos (math $pos + 1)
        end
    end
    echo $path
    echo $pos
    for f in $fleet
        echo $f
    end
end

# True when the command path on the line is $argv[1].
function __accelctl_at
    set -l state (__accelctl_state)
    test "$state[1]" = "$argv[1]"
end

# True when the path is $argv[1] and the word being completed is positional $argv[2].
function __accelctl_arg
    set -l state (__accelctl_state)
    test "$state[1]" = "$argv[1]"; or return 1
    set -l n (string split ' ' -- (__accelctl_nargs "$argv[1]"))
    set -l pos $state[2]
    if test $pos -ge $n[1]; and test "$n[2]" = 1
        set pos (math $n[1] - 1)
    end
    test $pos -eq $argv[2]
end

# Device names from 'accelctl list -o json', with the fleet options on the line.
function __accelctl_devices
    set -l fleet (__accelctl_state)
    set -e fleet[1..2]
    set -l i (contains -i -- --sim-dir $fleet)
    # Listing a --sim-dir that is not a fleet yet would create one: offer nothing.
    if test -n "$i"
        set -l j (math $i + 1)
        not test -d "$fleet[$j]"; and return
    end
    set -l cmd (commandline -opc)[1]
    $cmd $fleet list -o json 2>/dev/null | string match -rg '"name": "([^"]*)"'
end

complete -c accelctl -f`);

  for (const option of model.globals) lines.push(optionLine(option, undefined));
  for (const node of model.nodes) {
    for (const sub of node.subs) lines.push(`complete -c accelctl -n ${fq(`__accelctl_at ${fq(node.path)}`)} -a ${fq(sub.name)} -d ${fq(oneLine(sub.summary))}`);
    for (const option of node.options) lines.push(optionLine(option, `__accelctl_at ${fq(node.path)}`));
    node.args.forEach((arg, i) => {
      const spec = model.valueSpec(arg);
      if (spec.kind === 'none') return;
      const condition = fq(`__accelctl_arg ${fq(node.path)} ${i}`);
      const what = spec.kind === 'file' ? '-F' : valueArgs(spec).replace(/^-x /, '');
      lines.push(`complete -c accelctl -n ${condition} ${what} -d ${fq(oneLine(arg.description))}`);
    });
  }
  return `${lines.join('\n')}\n`;
}

export function renderCompletion(shell: Shell, model: CompletionModel): string {
  if (shell === 'bash') return bashScript(model);
  if (shell === 'zsh') return zshScript(model);
  return fishScript(model);
}
