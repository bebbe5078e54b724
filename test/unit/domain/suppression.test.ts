import { describe, expect, it } from 'vitest';
import { suppressionsFrom } from '../../../functions/domain/contact';

describe('suppressionsFrom', () => {
  it('suppresses every recipient of a permanent bounce, normalised', () => {
    expect(
      suppressionsFrom({
        eventType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: ' Ada@Example.com' }] },
      }),
    ).toEqual([{ email: 'ada@example.com', status: 'bounced' }]);
  });

  it('ignores a transient bounce', () => {
    expect(
      suppressionsFrom({
        eventType: 'Bounce',
        bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'a@b.co' }] },
      }),
    ).toEqual([]);
  });

  it('suppresses complainers, from event publishing or identity notifications', () => {
    const complaint = { complaint: { complainedRecipients: [{ emailAddress: 'a@b.co' }] } };
    expect(suppressionsFrom({ eventType: 'Complaint', ...complaint })).toEqual([
      { email: 'a@b.co', status: 'complained' },
    ]);
    expect(suppressionsFrom({ notificationType: 'Complaint', ...complaint })).toHaveLength(1);
  });
});
