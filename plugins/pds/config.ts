/**
 * `accelctl config` for pds: the firmware package's persistent parameters
 * (config-params.ts) through its config endpoint.
 *
 *  - read: config.get_param (READ → inspect at CONFIGURATION) per parameter,
 *    giving default, current and next-boot value cells.
 *  - write: config.set_param (WRITE → configure) stages each next-boot value
 *    (parameters applied immediately also change now), then one
 *    system.commit_config (SYNC → configure) writes the staged set to flash in
 *    one step, so flash holds the old set or the new one, never a mix.
 */
import { AccelError, type ConfigChange, type ConfigParamState, type ConfigSupport, type ParamValue } from 'accelctl/sdk';
import { PARAMS, paramByName, type ParamSpec } from './config-params';
import { callOp } from './op-call';
import { cellNumber, cellString, numberCell, ParamRequest, ParamSet, ParamValues, stringCell } from './payloads-caps';

/** A value cell as the parameter's type says to read it. */
export function cellValue(spec: ParamSpec, cell: Uint8Array): ParamValue {
  switch (spec.type.kind) {
    case 'bool':
      return cellNumber(cell) !== 0;
    case 'int':
      return cellNumber(cell);
    case 'enum': {
      const index = cellNumber(cell);
      return spec.type.values[index] ?? `unknown(${index})`;
    }
    case 'string':
      return cellString(cell);
  }
}

/** The cell that carries a value of the parameter's type (validated by the umbrella already). */
export function valueCell(spec: ParamSpec, value: ParamValue): Uint8Array {
  const bad = () => new AccelError('ACCELCTL_E_BAD_INPUT', `${spec.name}: ${JSON.stringify(value)} is not a valid ${spec.type.kind}`);
  switch (spec.type.kind) {
    case 'bool':
      if (typeof value !== 'boolean') throw bad();
      return numberCell(value ? 1 : 0);
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.type.min || value > spec.type.max) throw bad();
      return numberCell(value);
    case 'enum': {
      const index = spec.type.values.indexOf(String(value));
      if (index < 0) throw bad();
      return numberCell(index);
    }
    case 'string':
      if (typeof value !== 'string' || Buffer.byteLength(value, 'latin1') > spec.type.maxLength) throw bad();
      return stringCell(value);
  }
}

function specOf(name: string): ParamSpec {
  const spec = paramByName(name);
  if (!spec) throw new AccelError('ACCELCTL_E_USAGE', `pds has no parameter '${name}'`, { hint: `parameters: ${PARAMS.map((p) => p.name).join(', ')}` });
  return spec;
}

export const config: ConfigSupport = {
  params: async () => PARAMS,

  async read(context, names): Promise<ConfigParamState[]> {
    const specs = names.length === 0 ? PARAMS : names.map(specOf);
    const states: ConfigParamState[] = [];
    for (const spec of specs) {
      const { payload } = await callOp(context, 'config.get_param', ParamRequest.encode({ id: spec.id }));
      const v = ParamValues.decode(payload);
      if (v.id !== spec.id) throw new AccelError('ACCELCTL_E_MALFORMED_REPLY', `get_param ${spec.name}: firmware answered for parameter ${v.id}`);
      states.push({ name: spec.name, default: cellValue(spec, v.default), current: cellValue(spec, v.current), nextBoot: cellValue(spec, v.nextBoot) });
    }
    return states;
  },

  async write(context, changes: readonly ConfigChange[]): Promise<void> {
    const staged = changes.map((change) => {
      const spec = specOf(change.name);
      if (spec.readOnly) throw new AccelError('ACCELCTL_E_BAD_INPUT', `${spec.name} is read-only`);
      return { spec, cell: valueCell(spec, change.value) };
    });
    for (const { spec, cell } of staged) await callOp(context, 'config.set_param', ParamSet.encode({ id: spec.id, value: cell }));
    await callOp(context, 'system.commit_config');
  },

  writeClass: 'configure',
  rpcs: { read: ['config.get_param'], write: ['config.set_param', 'system.commit_config'] },
  note:
    'set_param (WRITE) stages next-boot values and system.commit_config (SYNC) saves them to flash, both at the configuration scope. ' +
    "'reset' and 'reboot' parameters load at the next firmware restart (accelctl reset); the host acts on 'reboot' ones when it boots again.",
};
