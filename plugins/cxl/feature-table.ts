/**
 * Read the whole Supported Features list with Get Supported Features, paging by
 * start index (the driver answers from the list it cached at probe time).
 * Shared by the classifier (through ClassifyContext.inspect) and the commands.
 */
import { AccelError, malformedReply } from 'accelctl/sdk';
import { mboxRcName } from './retcodes';
import { decodeSupportedFeatures, encodeGetSupportedFeatures, type FeatureEntry } from './requests';
import { FeatEntry } from './uapi';

/** Entries asked for per request; the fwctl path is not limited by the mailbox size. */
export const PAGE_ENTRIES = 32;

export type Send = (request: Uint8Array) => Promise<Uint8Array>;

export async function readFeatureTable(send: Send): Promise<FeatureEntry[]> {
  const entries: FeatureEntry[] = [];
  let supported = Infinity;
  while (entries.length < supported) {
    const page = decodeSupportedFeatures(await send(encodeGetSupportedFeatures(entries.length, PAGE_ENTRIES * FeatEntry.size)));
    if (page.retval !== 0) {
      throw new AccelError('ACCELCTL_E_DEVICE_STATUS', `Get Supported Features failed: ${mboxRcName(page.retval)}`);
    }
    supported = page.supported;
    // A device that reports more features but returns none would loop forever.
    if (page.entries.length === 0 && entries.length < supported) {
      throw malformedReply(`Get Supported Features returned no entries at index ${entries.length} of ${supported}`);
    }
    entries.push(...page.entries.slice(0, supported - entries.length));
  }
  return entries;
}

const CACHE_KEY = 'cxl.features';

/** The table, read once per invocation and kept in the per-device cache. */
export async function cachedFeatureTable(cache: Map<string, unknown>, send: Send): Promise<FeatureEntry[]> {
  const hit = cache.get(CACHE_KEY) as FeatureEntry[] | undefined;
  if (hit) return hit;
  const table = await readFeatureTable(send);
  cache.set(CACHE_KEY, table);
  return table;
}
