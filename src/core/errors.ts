/**
 * One error type for the whole program, with a stable code per failure.
 *
 * Codes are part of the interface: tests, scripts and the JSON error document
 * (`{"schema_version":1,"error":{"code","message","hint"}}`) use them, so a code
 * is never renamed. The exit code follows from the code (DESIGN.md §5).
 */

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  notFound: 3,
  refused: 4,
  timeout: 5,
  /** `accelctl health`: a health reporter is in error. */
  unhealthy: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Every error code, with the exit code it maps to. */
export const ERROR_CODES = {
  /** Bad command line: unknown option, missing argument, bad value. */
  ACCELCTL_E_USAGE: EXIT.usage,
  /** A hex string or input file that cannot be parsed. */
  ACCELCTL_E_BAD_INPUT: EXIT.usage,
  /** A firmware image that is malformed, corrupt, truncated or for another device. */
  ACCELCTL_E_BAD_IMAGE: EXIT.usage,
  /** No device matches the selector, or there are no devices at all. */
  ACCELCTL_E_DEVICE_NOT_FOUND: EXIT.notFound,
  /** The device went away (ENODEV). */
  ACCELCTL_E_DEVICE_GONE: EXIT.notFound,
  /** A configure RPC needs --yes (or a yes at the prompt). */
  ACCELCTL_E_NEEDS_YES: EXIT.refused,
  /** A mutate-debug RPC needs --allow-mutate. */
  ACCELCTL_E_NEEDS_ALLOW_MUTATE: EXIT.refused,
  /** The plugin cannot classify the request, so it is never sent. */
  ACCELCTL_E_UNCLASSIFIED: EXIT.refused,
  /** The command is restricted to inspect RPCs (e.g. dump) and this one is not. */
  ACCELCTL_E_NOT_INSPECT: EXIT.refused,
  /** The scope needs a privilege the process lacks (CAP_SYS_RAWIO, EPERM). */
  ACCELCTL_E_PRIVILEGE: EXIT.refused,
  /** The kernel refused the RPC (EBADMSG, EINVAL, EOPNOTSUPP, EMSGSIZE, ...). */
  ACCELCTL_E_KERNEL_REFUSED: EXIT.failed,
  /** The device/firmware executed the RPC and reported a failure inside the reply. */
  ACCELCTL_E_DEVICE_STATUS: EXIT.failed,
  /** A reply from firmware is shorter than its layout or otherwise malformed. */
  ACCELCTL_E_MALFORMED_REPLY: EXIT.failed,
  /** The RPC did not complete within --timeout. */
  ACCELCTL_E_TIMEOUT: EXIT.timeout,
  /** A plugin is broken (bad manifest, classifier disagrees with itself, ...). */
  ACCELCTL_E_PLUGIN: EXIT.failed,
  /** Simulator set-up problems (fleet directory, state files). */
  ACCELCTL_E_SIM: EXIT.failed,
  /** Local I/O failed (cannot read a file, write state, ...). */
  ACCELCTL_E_IO: EXIT.failed,
  /** A real-device transport is not available on this system. */
  ACCELCTL_E_UNSUPPORTED: EXIT.failed,
  /** A bug in accelctl. */
  ACCELCTL_E_INTERNAL: EXIT.failed,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface AccelErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Extra machine-readable context, rendered in JSON errors. */
  details?: Record<string, unknown>;
}

export class AccelError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AccelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AccelError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }

  get exitCode(): ExitCode {
    return ERROR_CODES[this.code];
  }
}

/**
 * True for accelctl's errors, including those thrown by an out-of-tree plugin
 * that bundled its own copy of the SDK (instanceof would miss those).
 */
export function isAccelError(value: unknown): value is AccelError {
  if (value instanceof AccelError) return true;
  const candidate = value as { name?: unknown; code?: unknown } | null;
  return (
    typeof candidate === 'object' && candidate !== null && candidate.name === 'AccelError' && typeof candidate.code === 'string' && candidate.code in ERROR_CODES
  );
}

/** The exit code of any AccelError, wherever it was constructed. */
export function exitCodeOf(error: AccelError): ExitCode {
  return ERROR_CODES[error.code] ?? EXIT.failed;
}

/** Shorthand for the error every decoder throws on bytes it cannot make sense of. */
export function malformedReply(message: string, details?: Record<string, unknown>): AccelError {
  return new AccelError('ACCELCTL_E_MALFORMED_REPLY', message, {
    hint: 'the firmware reply does not match its layout; re-run with -v to see the bytes',
    ...(details ? { details } : {}),
  });
}

/**
 * An error message without its leading "DEVICE: ", for a caller that names the
 * device itself (most messages about a device start with its name; a plugin's
 * decoder, which does not know the device, writes none).
 */
export function withoutDevicePrefix(message: string, device: string): string {
  return message.startsWith(`${device}: `) ? message.slice(device.length + 2) : message;
}

export function usageError(message: string, hint?: string): AccelError {
  return new AccelError('ACCELCTL_E_USAGE', message, hint ? { hint } : {});
}
