import type { StaffDirectory } from '../adapters/staff-directory';
import type { StoreRepository } from '../adapters/store-repository';
import type { AllStoreRole } from '../domain/access';
import {
  describeStaffChange,
  managersGroup,
  normalisedEmail,
  planStaffSync,
  rolesBoundTo,
  type StaffChange,
} from '../domain/staff';

export interface SyncStaffDeps {
  readonly directory: Pick<
    StaffDirectory,
    'listAccounts' | 'createAccount' | 'addToGroup' | 'enable' | 'disable'
  >;
  readonly stores: Pick<StoreRepository, 'listAll' | 'bindAccount' | 'unbindAccount'>;
}

export interface StaffSyncResult {
  readonly dryRun: boolean;
  /** What was done (or, in a dry run, would be), in order, each with its line for people. */
  readonly changes: readonly (StaffChange & { readonly description: string })[];
  /** Changes not made because the registry changed meanwhile: a new run picks them up. */
  readonly skipped: readonly string[];
}

/**
 * Brings the staff accounts in line with the stores registry (`planStaffSync`): creates and invites
 * the managers who have no account, binds every store role to its account, disables the accounts of
 * managers who manage no store any more. Safe to run again (a crash half-way is finished by the next
 * run); a dry run reads only.
 */
export const syncStaff = async (
  deps: SyncStaffDeps,
  { dryRun }: { dryRun: boolean },
): Promise<StaffSyncResult> => {
  const [stores, accounts] = await Promise.all([deps.stores.listAll(), deps.directory.listAccounts()]);
  const plan = planStaffSync(stores, accounts);
  const described = plan.map((change) => ({ ...change, description: describeStaffChange(change) }));
  if (dryRun) return { dryRun, changes: described, skipped: [] };

  const created = new Map<string, string>();
  const skipped: string[] = [];
  for (const change of plan) {
    switch (change.kind) {
      case 'create': {
        const account = await deps.directory.createAccount(change.email, { invite: true });
        await deps.directory.addToGroup(account.username, managersGroup);
        created.set(change.email, account.sub);
        break;
      }
      case 'enable':
        await deps.directory.enable(change.username);
        break;
      case 'add-to-group':
        await deps.directory.addToGroup(change.username, change.group);
        break;
      case 'bind': {
        const sub = change.sub ?? created.get(change.email);
        if (sub === undefined) throw new Error(`no account was created for ${change.email}`);
        if (!(await deps.stores.bindAccount(change.storeId, change.role, { sub, email: change.address })))
          skipped.push(`${describeStaffChange(change)}: the store's address changed meanwhile; run again`);
        break;
      }
      case 'unbind':
        await deps.stores.unbindAccount(change.storeId, change.role, change.binding);
        break;
      case 'disable':
        await deps.directory.disable(change.username);
        break;
    }
  }
  return { dryRun, changes: described, skipped };
};

export interface AddStaffDeps {
  readonly directory: Pick<
    StaffDirectory,
    'findByEmail' | 'createAccount' | 'addToGroup' | 'enable' | 'setPassword'
  >;
}

/**
 * Gives a marketer or an administrator an account in their group: invited by e-mail, or with a
 * permanent `password` (the local stack's demos and tests). Safe to run again.
 */
export const addStaff = async (
  deps: AddStaffDeps,
  request: { readonly email: string; readonly role: AllStoreRole; readonly password?: string },
) => {
  const email = normalisedEmail(request.email);
  const changes: string[] = [];
  let account = await deps.directory.findByEmail(email);
  if (account === undefined) {
    account = await deps.directory.createAccount(email, { invite: request.password === undefined });
    changes.push(request.password === undefined ? 'created and invited by e-mail' : 'created');
  } else if (!account.enabled) {
    await deps.directory.enable(account.username);
    changes.push('enabled');
  }
  if (request.password !== undefined) {
    await deps.directory.setPassword(account.username, request.password);
    changes.push('password set');
  }
  if (!account.groups.includes(request.role)) {
    await deps.directory.addToGroup(account.username, request.role);
    changes.push(`added to ${request.role}`);
  }
  return { email, sub: account.sub, role: request.role, changes };
};

export interface ListStaffDeps {
  readonly directory: Pick<StaffDirectory, 'listAccounts'>;
  readonly stores: Pick<StoreRepository, 'listAll'>;
}

/** Every staff account with its groups and the store roles bound to it. */
export const listStaff = async (deps: ListStaffDeps) => {
  const [accounts, stores] = await Promise.all([deps.directory.listAccounts(), deps.stores.listAll()]);
  const rolesOf = (sub: string) =>
    stores.flatMap((store) => rolesBoundTo(sub, store).map((role) => ({ storeId: store.storeId, role })));
  return accounts
    .map((account) => ({
      email: normalisedEmail(account.email),
      sub: account.sub,
      enabled: account.enabled,
      status: account.status,
      groups: account.groups,
      stores: rolesOf(account.sub).sort((a, b) => a.storeId.localeCompare(b.storeId)),
    }))
    .sort((a, b) => a.email.localeCompare(b.email));
};
