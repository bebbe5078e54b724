import { beforeEach, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../functions/domain/errors';
import type { CaseNote, CaseRecord } from '../../../functions/schemas/case';
import {
  getManagedCase,
  listManagedCases,
  type ManageCasesDeps,
  updateManagedCase,
} from '../../../functions/use-cases/manage-cases';
import { anOpenCase } from '../../support/in-memory-cases';
import { fixedClock } from '../../support/in-memory-effects';
import { accountOf, aStore, createStoreTable, withAccounts } from '../../support/in-memory-stores';

const s1Manager = accountOf('manager.s1@stores.example.com');
const s2Address = 'manager.s2@stores.example.com';

let cases: Map<string, CaseRecord>;
let deps: ManageCasesDeps;

beforeEach(() => {
  cases = new Map(
    [anOpenCase(), anOpenCase({ caseId: 'sv-2', surveyId: 'sv-2', storeId: 'S2', owner: s2Address })].map(
      (one) => [one.caseId, one],
    ),
  );
  deps = {
    cases: {
      get: async (caseId) => structuredClone(cases.get(caseId)),
      list: async (storeId) => [...cases.values()].filter((one) => one.storeId === storeId),
      applyUpdate: async (caseId, expected, status, note: CaseNote | undefined, at) => {
        const found = cases.get(caseId);
        if (found?.status !== expected) return false;
        cases.set(caseId, {
          ...found,
          status: status as CaseRecord['status'],
          updatedAt: at,
          notes: [...found.notes, ...(note ? [note] : [])],
        });
        return true;
      },
    } as ManageCasesDeps['cases'],
    stores: createStoreTable(
      withAccounts(aStore()),
      withAccounts(aStore({ storeId: 'S2', managerEmail: s2Address, regionalManagerEmail: undefined })),
    ).repository,
    clock: fixedClock('2026-11-02T12:00:00.000Z').clock,
  };
});

describe('manager access to cases', () => {
  it('lists the cases of the stores bound to the account', async () => {
    const listed = await listManagedCases(deps, { sub: s1Manager, groups: [] });
    expect(listed.map((one) => one.caseId)).toEqual(['sv-1']);
  });

  it.each([
    ['verified', s2Address],
    ['unverified', undefined],
  ])(
    'refuses another store’s case to a manager who took its manager’s address (%s)',
    async (_, verifiedEmail) => {
      const intruder = { sub: s1Manager, groups: [], ...(verifiedEmail && { email: verifiedEmail }) };
      await expect(getManagedCase(deps, intruder, 'sv-2')).rejects.toBeInstanceOf(ForbiddenError);
      await expect(updateManagedCase(deps, intruder, 'sv-2', { status: 'resolved' })).rejects.toBeInstanceOf(
        ForbiddenError,
      );
      expect((await listManagedCases(deps, intruder)).map((one) => one.caseId)).toEqual(['sv-1']);
      expect(cases.get('sv-2')?.status).toBe('open');
    },
  );

  it('signs a note with the verified e-mail, else with the account id', async () => {
    await updateManagedCase(
      deps,
      { sub: s1Manager, email: 'manager.s1@stores.example.com', groups: [] },
      'sv-1',
      { note: 'Left a message.' },
    );
    await updateManagedCase(deps, { sub: s1Manager, groups: [] }, 'sv-1', {
      status: 'contacted',
      note: 'Called.',
    });
    expect(cases.get('sv-1')?.notes.map((note) => note.by)).toEqual([
      'manager.s1@stores.example.com',
      s1Manager,
    ]);
  });
});
