/**
 * Redaction for bug reports that go public: serial numbers, MAC addresses,
 * GUIDs and host names become stable pseudonyms (the same value maps to the
 * same pseudonym everywhere in one dump), so a reader can still tell devices
 * apart and follow one through the report.
 */

type Category = 'serial' | 'mac' | 'guid' | 'host';

const KEY_CATEGORY: [RegExp, Category][] = [
  [/(^|_)(serial|serial_number|sn|dsn)$/i, 'serial'],
  [/(^|_)(mac|mac_address|perm_addr|permanent_address|hw_addr)$/i, 'mac'],
  [/guid$/i, 'guid'],
  [/^(host|hostname|host_name|node_name)$/i, 'host'],
];

const MAC = /\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\b/gi;
/** IB-style GUIDs: 0x-prefixed 16 hex digits, or four colon-separated groups of four. */
const GUID = /\b(?:0x[0-9a-f]{16}|[0-9a-f]{4}(?::[0-9a-f]{4}){3})\b/gi;

export class Redactor {
  private readonly maps = new Map<Category, Map<string, string>>();
  private readonly literals: { value: string; category: Category }[] = [];

  /** Values known to be private (device serials, the host name) are replaced wherever they appear. */
  addLiteral(value: string | undefined | null, category: Category): void {
    if (value && value.length >= 3 && !this.literals.some((l) => l.value === value)) {
      this.literals.push({ value, category });
      this.literals.sort((a, b) => b.value.length - a.value.length);
    }
  }

  pseudonym(category: Category, value: string): string {
    let map = this.maps.get(category);
    if (!map) this.maps.set(category, (map = new Map()));
    let name = map.get(value.toLowerCase());
    if (!name) map.set(value.toLowerCase(), (name = `redacted-${category}-${map.size + 1}`));
    return name;
  }

  private text(value: string): string {
    let out = value;
    for (const { value: literal, category } of this.literals) {
      if (out.includes(literal)) out = out.split(literal).join(this.pseudonym(category, literal));
    }
    return out.replace(MAC, (m) => this.pseudonym('mac', m)).replace(GUID, (m) => this.pseudonym('guid', m));
  }

  /** A redacted deep copy. */
  redact<T>(value: T, key = ''): T {
    const category = KEY_CATEGORY.find(([pattern]) => pattern.test(key))?.[1];
    if (category && (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') && String(value) !== '') {
      return this.pseudonym(category, String(value)) as T;
    }
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redact(v, key)) as T;
    if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, this.redact(v, k)])) as T;
    }
    return value;
  }
}
