/**
 * The JSON outputs of accelctl, schema first: one zod schema per document a
 * command prints with `-o json`, in this one place. `accelctl schema NAME`
 * prints them as JSON Schema (z.toJSONSchema), and the e2e tests validate the
 * real output of every command against them with a standard validator (ajv),
 * so documentation, code and output cannot drift apart.
 *
 * Where a shape is owned by a plugin (a plugin command's result, decoded device
 * data, a dump's command results) the schema fixes the envelope and allows the
 * rest. `schema_version` changes only with a breaking change.
 */
import { z } from 'zod';

export const SCHEMA_VERSION = 1;

const version = z.literal(SCHEMA_VERSION).describe('bumped only by a breaking change to this document');
const deviceName = z.string().describe('fwctl device name, e.g. fwctl0');
const hex = z.string().regex(/^([0-9a-f]{2})*$/).describe('bytes as lower-case hex');
const rpcClass = z.enum(['inspect', 'configure', 'mutate-debug']);
const scope = z.enum(['configuration', 'debug_read_only', 'debug_write', 'debug_write_full']);
const errorInfo = z.object({ code: z.string().regex(/^ACCELCTL_E_/), message: z.string() });
const paramValue = z.union([z.boolean(), z.number(), z.string()]);
const anyObject = z.record(z.string(), z.unknown());
const stringMap = z.record(z.string(), z.string());

/** A top-level document: `schema_version` plus the command's fields. */
function doc<T extends z.ZodRawShape>(shape: T) {
  return z.object({ schema_version: version, ...shape });
}

// ---------------------------------------------------------------- shared pieces

const dryRunPlan = doc({
  device: deviceName,
  sent: z.literal(false),
  dry_run: z.literal(true),
  rpc: z.string(),
  class: rpcClass,
  scope,
  gate: z.enum(['none', 'yes', 'allow-mutate']),
  request: hex,
  out_len: z.number().int().nonnegative(),
}).describe('--dry-run: the first RPC that would change a device, not sent');

const gate = z.enum(['none', 'yes', 'allow-mutate']);

const optionMeta = z.object({
  flags: z.string(),
  long: z.string().nullable(),
  short: z.string().nullable(),
  negate: z.boolean(),
  takes_value: z.enum(['none', 'required', 'optional']),
  value_name: z.string().nullable(),
  variadic: z.boolean(),
  mandatory: z.boolean(),
  choices: z.array(z.string()).nullable(),
  default: z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]),
  description: z.string(),
  complete: z.enum(['device', 'file', 'directory', 'plugin', 'command', 'schema']).nullable().describe('what a shell completes for the value'),
});

const argumentMeta = z.object({
  name: z.string(),
  description: z.string(),
  required: z.boolean(),
  variadic: z.boolean(),
  choices: z.array(z.string()).nullable(),
  complete: optionMeta.shape.complete,
});

const commandClass = z.enum(['none', 'inspect', 'configure', 'mutate-debug', 'any', 'unknown']);

const commandMeta = z.object({
  command: z.string().describe('the words after accelctl, e.g. "config show" or "mlx5 caps"'),
  path: z.array(z.string()),
  name: z.string(),
  parent: z.string().nullable(),
  plugin: z.string().nullable().describe('the plugin that defines it, null for built-ins'),
  builtin: z.boolean(),
  group: z.boolean().describe('true when it only holds subcommands'),
  subcommands: z.array(z.string()),
  class: commandClass.describe('the most invasive class it may send: none, inspect, configure, mutate-debug, or any (rpc: classified per request)'),
  scopes: z.array(scope),
  rpcs: z.array(z.string()),
  summary: z.string(),
  description: z.string(),
  usage: z.string(),
  arguments: z.array(argumentMeta),
  options: z.array(optionMeta),
  output_schema: z.string().nullable().describe('name for `accelctl schema NAME`, null when it prints no JSON'),
});

const rpcKindMeta = z.object({ plugin: z.string(), name: z.string(), class: rpcClass, scope, description: z.string().nullable() });

const changeRow = z.object({ name: z.string(), old: paramValue, new: paramValue, apply: z.string() });
const paramRow = z.object({
  name: z.string(),
  type: z.string(),
  default: paramValue,
  current: paramValue,
  next_boot: paramValue,
  read_only: z.boolean(),
  pending: z.boolean(),
  apply: z.enum(['immediate', 'reset', 'reboot']),
  description: z.string(),
});

const firmwareVersions = {
  fixed: stringMap.describe('board/ASIC identity'),
  running: stringMap.describe('running version per component'),
  stored: stringMap.describe('stored (flash) version per component'),
  active_bank: z.string().nullable(),
  pending_activation: z.boolean(),
};

const reporter = z.object({
  name: z.string(),
  state: z.enum(['healthy', 'error']),
  error_count: z.number().int().nonnegative(),
  last_error: z.string().nullable(),
  last_error_time: z.string().nullable(),
  recommended_action: z.string().nullable(),
});

const metricsDevice = z.object({
  device: deviceName,
  pci: z.string().nullable(),
  plugin: z.string().nullable(),
  up: z.boolean(),
  metrics: z.array(z.object({ name: z.string().regex(/^[a-z_][a-z0-9_]*$/), type: z.enum(['gauge', 'counter']), value: z.number(), labels: stringMap, help: z.string() })),
  error: errorInfo.optional(),
});

const scopeCounts = z.object({ configuration: z.number().int(), debug_read_only: z.number().int(), debug_write: z.number().int(), debug_write_full: z.number().int() });
const section = z.unknown().describe("plugin-owned, or {error:{code,message}} when the piece failed");

// ---------------------------------------------------------------- the documents

export const OUTPUT_SCHEMAS = {
  list: doc({
    devices: z.array(
      z.object({
        name: deviceName,
        path: z.string(),
        plugin: z.string().nullable(),
        device_type: z.number().int().nullable(),
        pci: z.string().nullable(),
        model: z.string().nullable(),
        firmware: z.string().nullable(),
        serial: z.string().nullable(),
        driver: z.string().nullable(),
        error: errorInfo.optional(),
      }),
    ),
  }).describe('accelctl list'),

  info: doc({
    device: deviceName,
    path: z.string(),
    plugin: z.string(),
    device_type: z.number().int(),
    device_type_name: z.string(),
    pci: z.string().nullable(),
    memdev: z.string().nullable(),
    driver: z.string().nullable(),
    vendor_id: z.string().regex(/^0x[0-9a-f]{4}$/).nullable(),
    device_id: z.string().regex(/^0x[0-9a-f]{4}$/).nullable(),
    serial: z.string().nullable(),
    firmware_version: z.string().nullable().describe("a CXL memdev's firmware_version in sysfs (the kernel's copy of the FW revision); null elsewhere"),
    device_data: hex,
    device_data_decoded: anyObject.describe('FWCTL_INFO device data as the plugin decodes it'),
    kernel_tainted_fwctl: z.boolean().nullable(),
  }).describe('accelctl info DEV'),

  rpc: z
    .union([
      doc({
        device: deviceName,
        sent: z.literal(true),
        rpc: z.string(),
        class: rpcClass,
        scope,
        request: hex,
        reply: hex,
        status: z.looseObject({ ok: z.boolean(), status: z.number().optional(), message: z.string().optional() }).describe('device-level status; vendor detail may follow'),
        decoded: z.unknown().optional().describe('the reply as the plugin decodes it'),
      }),
      dryRunPlan,
    ])
    .describe('accelctl rpc DEV --in HEX (or its --dry-run plan)'),

  commands: doc({
    program: z.object({ name: z.literal('accelctl'), version: z.string(), description: z.string(), usage: z.string(), options: z.array(optionMeta) }),
    commands: z.array(commandMeta),
    rpc_kinds: z.array(rpcKindMeta),
  }).describe('accelctl commands: the command metadata (every command, its options, arguments, class and scopes)'),

  'config-show': doc({ device: deviceName, params: z.array(paramRow), note: z.string().optional() }).describe('accelctl config show DEV'),

  'config-set': z
    .union([
      doc({ device: deviceName, changes: z.array(changeRow), params: z.array(paramRow), note: z.string().optional() }),
      doc({
        device: deviceName,
        sent: z.literal(false),
        dry_run: z.literal(true),
        changes: z.array(changeRow),
        first_rpc: z.object({ rpc: z.string(), class: rpcClass, scope, gate, request: hex }),
      }),
    ])
    .describe('accelctl config set|reset DEV (or the --dry-run plan)'),

  'fw-show': doc({ device: deviceName, ...firmwareVersions }).describe('accelctl fw show DEV'),

  'fw-flash': z
    .union([
      doc({ event: z.literal('progress'), phase: z.enum(['prepare', 'write', 'verify', 'done']), done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
      doc({
        event: z.literal('result'),
        device: deviceName,
        image: z.object({ version: z.string(), target: z.string(), size: z.number().int().positive(), components: z.array(z.string()), format: z.string() }),
        verified: z.boolean(),
        seconds: z.number().nonnegative(),
        activation: z.string(),
      }),
      dryRunPlan,
    ])
    .describe('accelctl fw flash DEV IMAGE: JSON lines, progress events then the result'),

  'fw-activate': z.union([doc({ device: deviceName, activated: z.literal(true), ...firmwareVersions }), dryRunPlan]).describe('accelctl fw activate DEV'),

  reset: z
    .union([
      doc({
        device: deviceName,
        level: z.string(),
        applied_params: z.array(z.object({ name: z.string(), value: paramValue })),
        firmware_activated: z.boolean(),
        running_firmware: stringMap.nullable(),
        still_pending: z.array(z.string()),
        note: z.string().optional(),
      }),
      dryRunPlan,
    ])
    .describe('accelctl reset DEV'),

  health: doc({
    healthy: z.boolean(),
    devices: z.array(
      z.object({
        device: deviceName,
        plugin: z.string().nullable(),
        status: z.enum(['healthy', 'error', 'unsupported', 'failed']),
        reporters: z.array(reporter),
        error: errorInfo.optional(),
      }),
    ),
  }).describe('accelctl health [DEV...]'),

  metrics: doc({ time: z.iso.datetime(), devices: z.array(metricsDevice) }).describe('accelctl metrics [DEV...] (with --watch: one such document per line)'),

  dump: doc({
    manifest: z.object({
      accelctl_version: z.string(),
      plugins: z.array(z.object({ name: z.string(), version: z.string(), device_type: z.number().int() })),
      kernel_release: z.string(),
      kernel_taint: z.object({ value: z.number().int(), fwctl: z.boolean() }).nullable(),
      time: z.iso.datetime(),
      host: z.string(),
      command_line: z.array(z.string()),
      simulated: z.boolean(),
      redacted: z.boolean(),
      timeout_ms: z.number().int().positive(),
      concurrency: z.number().int().positive(),
    }),
    devices: z.array(
      z.object({
        name: deviceName,
        path: z.string(),
        pci: z.string().nullable(),
        memdev: z.string().nullable(),
        firmware_version: z.string().nullable().describe("a CXL memdev's firmware_version in sysfs; null elsewhere"),
        driver: z.string().nullable(),
        serial: z.string().nullable(),
        board: z.string().nullable(),
        plugin: z.string().nullable(),
        plugin_version: z.string().nullable(),
        device_type: z.number().int().nullable(),
        duration_ms: z.number().nonnegative(),
        identity: section.optional(),
        info: z.object({ device_data: hex, decoded: anyObject }).optional(),
        firmware: section.optional(),
        config: section.optional(),
        health: section.optional(),
        commands: z.array(
          z.object({
            command: z.string(),
            args: z.array(z.string()),
            options: anyObject,
            duration_ms: z.number().nonnegative(),
            result: z.unknown().optional().describe('the plugin command result'),
            error: errorInfo.optional(),
          }),
        ),
        error: errorInfo.optional(),
        hung: z.boolean().optional(),
      }),
    ),
    summary: z.object({
      devices: z.number().int().nonnegative(),
      failed_devices: z.number().int().nonnegative(),
      commands: z.number().int().nonnegative(),
      command_errors: z.number().int().nonnegative(),
      seconds: z.number().nonnegative(),
      kernel_taint_changed: z.boolean(),
    }),
  }).describe('accelctl dump: the bug-report document (JSON whatever -o says)'),

  'sim-init': doc({
    sim_dir: z.string(),
    latency_ms: z.number().nonnegative(),
    devices: z.array(z.looseObject({ name: deviceName, plugin: z.string(), pci: z.string(), serial: z.string() })),
  }).describe('accelctl sim init DIR'),

  'sim-fw-image': doc({ plugin: z.string(), version: z.string(), out: z.string(), size: z.number().int().positive(), corrupt: z.boolean() }).describe('accelctl sim fw-image'),

  'sim-stats': doc({
    kernel_tainted_fwctl: z.boolean(),
    taint: z.number().int().nonnegative(),
    devices: z.array(z.object({ name: deviceName, plugin: z.string(), requested: scopeCounts, refused: z.number().int().nonnegative(), faults: z.array(z.string()) })),
  }).describe('accelctl sim stats [DEV]'),

  'sim-fault': doc({
    device: deviceName,
    faults: z.array(z.string()),
    latency_ms: z.number().nonnegative(),
    power_loss_after_bytes: z.number().int().nonnegative().optional(),
  }).describe('accelctl sim fault DEV'),

  'sim-power-cycle': doc({ device: deviceName, power_cycled: z.literal(true) }).describe('accelctl sim power-cycle DEV'),

  'plugin-list': doc({
    plugins: z.array(
      z.object({
        name: z.string(),
        version: z.string().nullable(),
        source: z.enum(['builtin', 'npm', 'path']),
        location: z.string(),
        device_type: z.number().int().nullable(),
        commands: z.number().int().nonnegative(),
        description: z.string().nullable(),
        error: errorInfo.optional(),
      }),
    ),
  }).describe('accelctl plugin list'),

  'plugin-check': doc({
    plugin: z.string(),
    passed: z.boolean(),
    findings: z.array(z.object({ check: z.string(), ok: z.boolean(), detail: z.string() })),
  }).describe('accelctl plugin check PLUGIN: the conformance report'),

  'plugin-new': doc({ name: z.string(), dir: z.string(), files: z.array(z.string()) }).describe('accelctl plugin new NAME'),

  'plugin-command': z
    .union([doc({ device: deviceName }).catchall(z.unknown()), dryRunPlan])
    .describe('accelctl PLUGIN COMMAND DEV: the result the plugin defines, after schema_version and device'),

  schema: doc({ schemas: z.array(z.object({ name: z.string(), description: z.string() })) }).describe('accelctl schema: the names of the output schemas'),

  'dry-run': dryRunPlan,

  error: z
    .object({ schema_version: version, error: z.object({ code: z.string().regex(/^ACCELCTL_E_[A-Z_]+$/), message: z.string(), hint: z.string().nullable() }) })
    .describe('any command in JSON mode, on stderr, when it fails'),
} as const satisfies Record<string, z.ZodType>;

export type OutputSchemaName = keyof typeof OUTPUT_SCHEMAS;
export const OUTPUT_SCHEMA_NAMES = Object.keys(OUTPUT_SCHEMAS) as OutputSchemaName[];

export type CommandsOutput = z.infer<(typeof OUTPUT_SCHEMAS)['commands']>;
export type CommandMeta = z.infer<typeof commandMeta>;
export type OptionMeta = z.infer<typeof optionMeta>;
export type ArgumentMeta = z.infer<typeof argumentMeta>;
export type CompleteKind = NonNullable<OptionMeta['complete']>;
export type CommandClass = z.infer<typeof commandClass>;

/**
 * The schema a command's JSON output follows, by its path ("config show" →
 * config-show); plugin commands share the plugin-command envelope. Undefined when
 * the command prints no JSON document (completion, help, schema NAME).
 */
export function schemaNameFor(path: readonly string[], plugin: string | null): OutputSchemaName | undefined {
  if (plugin !== null) return path.length > 1 ? 'plugin-command' : undefined;
  const name = path.join('-');
  if (name === 'config-reset') return 'config-set';
  if (name === 'help' || name === 'completion') return undefined;
  return name in OUTPUT_SCHEMAS ? (name as OutputSchemaName) : undefined;
}

/** JSON Schema (draft 2020-12) of one output. */
export function jsonSchemaOf(name: OutputSchemaName): Record<string, unknown> {
  const schema = OUTPUT_SCHEMAS[name];
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, ...rest } = json;
  return { $schema, $id: `https://accelctl.dev/schema/v${SCHEMA_VERSION}/${name}.json`, title: `accelctl ${name}`, ...rest };
}
