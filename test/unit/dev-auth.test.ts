import { describe, expect, it } from 'vitest';
import { issueDevToken, verifyDevToken } from '../../local/dev-auth';

describe('development tokens', () => {
  it('carry the manager’s normalised e-mail, verified with the stack’s secret', async () => {
    const token = await issueDevToken('secret-a', ' Manager@Stores.example.com ');
    expect((await verifyDevToken('secret-a', `Bearer ${token}`))?.email).toBe('manager@stores.example.com');
  });

  it('are refused with another secret, without the Bearer scheme, or when expired', async () => {
    const token = await issueDevToken('secret-a', 'm@x.co');
    expect(await verifyDevToken('secret-b', `Bearer ${token}`)).toBeUndefined();
    expect(await verifyDevToken('secret-a', token)).toBeUndefined();
    expect(
      await verifyDevToken('secret-a', `Bearer ${await issueDevToken('secret-a', 'm@x.co', -1)}`),
    ).toBeUndefined();
    expect(await verifyDevToken('', undefined)).toBeUndefined();
  });
});
