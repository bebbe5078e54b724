import type { CaseRepository } from '../adapters/case-repository';
import type { StoreRepository } from '../adapters/store-repository';
import { displayNameOf, type StaffIdentity, storesManagedBy } from '../domain/access';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors';
import { canMoveTo, isOverdue } from '../domain/follow-up';
import type { CaseRecord, CaseUpdateInput } from '../schemas/case';

export interface ManageCasesDeps {
  readonly cases: Pick<CaseRepository, 'get' | 'list' | 'applyUpdate'>;
  readonly stores: Pick<StoreRepository, 'listAll'>;
  readonly clock?: () => Date;
  /** Told of every first contact, and whether it came within the follow-up window (for metrics). */
  readonly onContacted?: (withinWindow: boolean) => void;
}

const view = (caseRecord: CaseRecord, now: Date) => ({ ...caseRecord, overdue: isOverdue(caseRecord, now) });

/**
 * A manager's view of the cases: only the stores (or region) whose roles are bound to their account,
 * soonest due first.
 */
export const listManagedCases = async (deps: ManageCasesDeps, manager: StaffIdentity) => {
  const managed = storesManagedBy(manager.sub, await deps.stores.listAll());
  const now = (deps.clock ?? (() => new Date()))();
  const cases = (await Promise.all([...managed].map((storeId) => deps.cases.list(storeId)))).flat();
  return cases.sort((a, b) => a.dueAt.localeCompare(b.dueAt)).map((caseRecord) => view(caseRecord, now));
};

const managedCase = async (deps: ManageCasesDeps, manager: StaffIdentity, caseId: string) => {
  const caseRecord = await deps.cases.get(caseId);
  if (caseRecord === undefined) throw new NotFoundError('No such case.');
  if (!storesManagedBy(manager.sub, await deps.stores.listAll()).has(caseRecord.storeId)) {
    throw new ForbiddenError('This case belongs to a store you do not manage.');
  }
  return caseRecord;
};

export const getManagedCase = async (deps: ManageCasesDeps, manager: StaffIdentity, caseId: string) =>
  view(await managedCase(deps, manager, caseId), (deps.clock ?? (() => new Date()))());

/** Records what happened: a new status (open → contacted → resolved / no-answer) and a note. */
export const updateManagedCase = async (
  deps: ManageCasesDeps,
  manager: StaffIdentity,
  caseId: string,
  input: CaseUpdateInput,
) => {
  const caseRecord = await managedCase(deps, manager, caseId);
  if (caseRecord.erasedAt !== undefined) {
    throw new ConflictError("The customer's data was erased; this case can no longer be updated.");
  }
  const status = input.status ?? caseRecord.status;
  if (!canMoveTo(caseRecord.status, status)) {
    throw new ConflictError(`A ${caseRecord.status} case cannot become ${status}.`);
  }
  const at = (deps.clock ?? (() => new Date()))().toISOString();
  const note = input.note === undefined ? undefined : { at, by: displayNameOf(manager), text: input.note };
  if (!(await deps.cases.applyUpdate(caseId, caseRecord.status, status, note, at))) {
    throw new ConflictError('The case changed meanwhile; reload it and try again.');
  }
  if (caseRecord.status === 'open' && status === 'contacted')
    deps.onContacted?.(!isOverdue(caseRecord, new Date(at)));
  return getManagedCase(deps, manager, caseId);
};
