import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/core/redact';

describe('Redactor', () => {
  it('replaces serials, MACs, GUIDs and host names with stable pseudonyms', () => {
    const r = new Redactor();
    r.addLiteral('MT2231X01234', 'serial');
    r.addLiteral('build-host-7', 'host');
    const out = r.redact({
      serial: 'MT2231X01234',
      host: 'build-host-7',
      note: 'device MT2231X01234 on build-host-7 has mac 0c:42:a1:00:11:22',
      ports: [{ mac: '0c:42:a1:00:11:22', node_guid: '0x0c42a10300112233' }],
      nested: { text: 'guid 0c42:a103:0011:2233 again 0C:42:A1:00:11:22' },
      model: 'ConnectX-7',
    });
    expect(out.serial).toBe('redacted-serial-1');
    expect(out.host).toBe('redacted-host-1');
    expect(out.note).toBe('device redacted-serial-1 on redacted-host-1 has mac redacted-mac-1');
    expect(out.ports[0]).toEqual({ mac: 'redacted-mac-1', node_guid: 'redacted-guid-1' });
    expect(out.nested.text).toBe('guid redacted-guid-2 again redacted-mac-1');
    expect(out.model).toBe('ConnectX-7');
  });

  it('leaves everything else alone, including numbers and UUIDs', () => {
    const value = { temperature: 55, uuid: '96dad7d6-fde8-482b-a733-75774e06db8a', list: [1, 'two'] };
    expect(new Redactor().redact(value)).toEqual(value);
  });

  it('gives different values different pseudonyms', () => {
    const r = new Redactor();
    expect(r.redact({ a: { serial: 'AAA1' }, b: { serial: 'BBB2' }, c: { serial: 'AAA1' } })).toEqual({
      a: { serial: 'redacted-serial-1' },
      b: { serial: 'redacted-serial-2' },
      c: { serial: 'redacted-serial-1' },
    });
  });
});
