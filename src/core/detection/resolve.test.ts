import { describe, expect, it } from 'vitest';

import { resolveCarrier } from './resolve.js';

describe('resolveCarrier', () => {
  it('should let a recognised carrier name win over detection', () => {
    // An IMpb number, detected as USPS, that the store says went with UPS Mail Innovations.
    const resolved = resolveCarrier({
      trackingNumber: '92612926729001553084952221',
      carrierName: 'UPS Mail Innovations',
    });
    expect(resolved).toMatchObject({ carrier: 'ups', confidence: 'given' });
    expect(resolved.detection).toMatchObject({ carrier: 'usps', valid: true });
  });

  it('should use the given name even when the number matches nothing', () => {
    expect(resolveCarrier({ trackingNumber: 'ABC', carrierName: 'FedEx Ground' })).toMatchObject({
      carrier: 'fedex',
      confidence: 'given',
      detection: { carrier: null, valid: false },
    });
  });

  it.each([undefined, null, '', 'Other', 'Royal Mail'])(
    'should detect from the number when the given name is %j',
    (carrierName) => {
      expect(resolveCarrier({ trackingNumber: '1Z5R89390357567127', carrierName })).toMatchObject({
        carrier: 'ups',
        confidence: 'detected',
      });
    },
  );

  it('should detect an S10 number when the postal operator is not a known carrier name', () => {
    expect(resolveCarrier({ trackingNumber: 'RB123456785GB', carrierName: 'Royal Mail' })).toMatchObject({
      carrier: 's10',
      confidence: 'detected',
    });
  });

  it('should say unknown when neither the name nor the number identifies a carrier', () => {
    const resolved = resolveCarrier({ trackingNumber: '1Z5R89390357567128', carrierName: 'Other' });
    expect(resolved.carrier).toBeNull();
    expect(resolved.confidence).toBe('unknown');
    expect(resolved.detection.candidates).toEqual([expect.objectContaining({ carrier: 'ups', valid: false })]);
  });
});
