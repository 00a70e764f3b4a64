/**
 * CXL mailbox return codes (CXL r3.2 Table 8-34; the kernel's CMD_CMD_RC_TABLE in
 * drivers/cxl/cxlmem.h lists them in the same order, so the enum values match).
 * fwctl_rpc_cxl_out.retval carries one of these.
 */
export const MboxRc = {
  SUCCESS: 0x00,
  BACKGROUND: 0x01,
  INPUT: 0x02,
  UNSUPPORTED: 0x03,
  INTERNAL: 0x04,
  RETRY: 0x05,
  BUSY: 0x06,
  MEDIADISABLED: 0x07,
  FWINPROGRESS: 0x08,
  FWOOO: 0x09,
  FWAUTH: 0x0a,
  FWSLOT: 0x0b,
  FWROLLBACK: 0x0c,
  FWRESET: 0x0d,
  HANDLE: 0x0e,
  PADDR: 0x0f,
  POISONLMT: 0x10,
  MEDIAFAILURE: 0x11,
  ABORT: 0x12,
  SECURITY: 0x13,
  PASSPHRASE: 0x14,
  MBUNSUPPORTED: 0x15,
  PAYLOADLEN: 0x16,
  LOG: 0x17,
  INTERRUPTED: 0x18,
  FEATUREVERSION: 0x19,
  FEATURESELVALUE: 0x1a,
  FEATURETRANSFERIP: 0x1b,
  FEATURETRANSFEROOO: 0x1c,
  RESOURCEEXHAUSTED: 0x1d,
  EXTLIST: 0x1e,
} as const;

/** Spec names, indexed by return code. */
const SPEC_NAMES: readonly string[] = [
  'Success',
  'Background Command Started',
  'Invalid Input',
  'Unsupported',
  'Internal Error',
  'Retry Required',
  'Busy',
  'Media Disabled',
  'FW Transfer in Progress',
  'FW Transfer Out of Order',
  'FW Verification Failed',
  'Invalid Slot',
  'Activation Failed, FW Rolled Back',
  'Activation Failed, Cold Reset Required',
  'Invalid Handle',
  'Invalid Physical Address',
  'Inject Poison Limit Reached',
  'Permanent Media Failure',
  'Aborted',
  'Invalid Security State',
  'Incorrect Passphrase',
  'Unsupported Mailbox or CCI',
  'Invalid Payload Length',
  'Invalid Log',
  'Interrupted',
  'Unsupported Feature Version',
  'Unsupported Feature Selection Value',
  'Feature Transfer in Progress',
  'Feature Transfer Out of Order',
  'Resource Exhausted',
  'Invalid Extent List',
];

export function mboxRcName(rc: number): string {
  return SPEC_NAMES[rc] ?? `unknown return code 0x${rc.toString(16)}`;
}
