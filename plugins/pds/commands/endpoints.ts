/**
 * `accelctl pds endpoints DEV`: the firmware package's endpoints.
 *
 * Sends no RPC: the kernel keeps the firmware's endpoint list to itself (it is
 * read with PDS_FWCTL_CMD_QUERY, an adminq command userspace cannot send), so
 * the list comes from the firmware package catalogue. FWCTL_INFO confirms the
 * device is pds and reports its uctx_caps.
 */
import { defineCommand, fields, table, type View } from 'accelctl/sdk';
import { CATALOGUE } from '../catalog';
import { pdsInfo } from './device';

export interface EndpointsResult {
  firmware_package: string;
  source: 'catalogue';
  uctx_caps: number;
  max_request_bytes: number;
  max_response_bytes: number;
  endpoints: { id: number; name: string; operations: number; summary: string }[];
}

export const endpoints = defineCommand({
  name: 'endpoints',
  summary: 'List the firmware endpoints (from the firmware package catalogue)',
  description:
    'The pds_fwctl driver asks firmware for its endpoints at probe time and never exposes the list; ' +
    'accelctl shows the endpoints of the firmware package it knows. Sends no RPC.',
  rpcClass: 'inspect',
  rpcs: [],
  examples: ['accelctl pds endpoints fwctl0', 'accelctl pds endpoints fwctl0 -o json'],
  async run(context): Promise<EndpointsResult> {
    const info = await pdsInfo(context);
    return {
      firmware_package: CATALOGUE.name,
      source: 'catalogue',
      uctx_caps: info.uctx_caps as number,
      max_request_bytes: CATALOGUE.maxReqSz,
      max_response_bytes: CATALOGUE.maxRespSz,
      endpoints: CATALOGUE.endpoints.map((ep) => ({ id: ep.id, name: ep.name, operations: ep.operations.length, summary: ep.summary })),
    };
  },
  render(result): View[] {
    return [
      fields(undefined, [
        ['Firmware package', result.firmware_package],
        ['uctx_caps', result.uctx_caps],
      ]),
      table('Endpoints', ['ID', 'Name', 'Operations', 'Summary'], result.endpoints.map((ep) => [ep.id, ep.name, ep.operations, ep.summary])),
    ];
  },
});
