import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The staff accounts of the local identity provider, shaped as Cognito keeps its users: an immutable
 * `sub`, an e-mail with its verified flag, groups, an enabled flag and a status. The OIDC provider
 * signs people in against them; its Cognito-compatible admin API (what `closeloop staff` calls)
 * changes them. Kept in memory, and in a JSON file when the stack keeps its data (`--data-dir`).
 */
export interface StaffAccount {
  /** Immutable: what store access is bound to. */
  readonly sub: string;
  readonly email: string;
  readonly emailVerified: boolean;
  /** An e-mail change waiting for its verification code (Cognito's `keepOriginal`). */
  readonly pendingEmail?: { readonly email: string; readonly code: string };
  readonly enabled: boolean;
  /** `FORCE_CHANGE_PASSWORD` until the first sign-in with the temporary password. */
  readonly status: 'FORCE_CHANGE_PASSWORD' | 'CONFIRMED';
  readonly passwordHash?: string;
  readonly groups: readonly string[];
  /** Other attributes, by their Cognito names (`name`, `locale`, `zoneinfo`, `custom:…`). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export class AccountExistsError extends Error {}
export class AccountNotFoundError extends Error {}

const hashPassword = (password: string) => {
  const salt = randomBytes(16);
  return `${salt.toString('base64')}:${scryptSync(password, salt, 32).toString('base64')}`;
};

const passwordMatches = (password: string, stored: string | undefined) => {
  if (stored === undefined) return false;
  const [salt, hash] = stored.split(':');
  if (salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
};

const normalised = (email: string) => email.trim().toLowerCase();

export class StaffAccounts {
  private readonly bySub = new Map<string, StaffAccount>();

  /** With `file`, accounts are read from it at start and written to it on every change. */
  constructor(private readonly file?: string) {
    if (file === undefined) return;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    for (const account of JSON.parse(text) as StaffAccount[]) this.bySub.set(account.sub, account);
  }

  list(): StaffAccount[] {
    return [...this.bySub.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  find(sub: string): StaffAccount | undefined {
    return this.bySub.get(sub);
  }

  findByEmail(email: string): StaffAccount | undefined {
    const wanted = normalised(email);
    return this.list().find((account) => account.email === wanted);
  }

  /** Throws AccountExistsError when an account already has this e-mail. */
  create(input: {
    readonly email: string;
    readonly emailVerified?: boolean;
    readonly temporaryPassword?: string;
    readonly attributes?: Readonly<Record<string, string>>;
  }): StaffAccount {
    const email = normalised(input.email);
    if (this.findByEmail(email) !== undefined)
      throw new AccountExistsError(`an account already has ${email}`);
    const now = new Date().toISOString();
    const account: StaffAccount = {
      sub: randomUUID(),
      email,
      emailVerified: input.emailVerified ?? false,
      enabled: true,
      status: 'FORCE_CHANGE_PASSWORD',
      ...(input.temporaryPassword !== undefined && { passwordHash: hashPassword(input.temporaryPassword) }),
      groups: [],
      attributes: input.attributes ?? {},
      createdAt: now,
      updatedAt: now,
    };
    return this.save(account);
  }

  /** Changes an account; `email` is normalised, and an e-mail held by another account is refused. */
  update(
    sub: string,
    change: Partial<Omit<StaffAccount, 'sub' | 'createdAt' | 'updatedAt' | 'passwordHash'>>,
  ) {
    const account = this.require(sub);
    const email = change.email === undefined ? account.email : normalised(change.email);
    const holder = this.findByEmail(email);
    if (holder !== undefined && holder.sub !== sub)
      throw new AccountExistsError(`an account already has ${email}`);
    return this.save({ ...account, ...change, email, updatedAt: new Date().toISOString() });
  }

  /** A permanent password confirms the account; a temporary one asks for a new one at sign-in. */
  setPassword(sub: string, password: string, permanent: boolean): StaffAccount {
    const account = this.require(sub);
    return this.save({
      ...account,
      passwordHash: hashPassword(password),
      status: permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD',
      updatedAt: new Date().toISOString(),
    });
  }

  /** The enabled account with this e-mail and password, else undefined (no hint which was wrong). */
  authenticate(email: string, password: string): StaffAccount | undefined {
    const account = this.findByEmail(email);
    if (account === undefined || !account.enabled) return undefined;
    return passwordMatches(password, account.passwordHash) ? account : undefined;
  }

  delete(sub: string): void {
    this.require(sub);
    this.bySub.delete(sub);
    this.persist();
  }

  private require(sub: string): StaffAccount {
    const account = this.bySub.get(sub);
    if (account === undefined) throw new AccountNotFoundError(`no account ${sub}`);
    return account;
  }

  private save(account: StaffAccount): StaffAccount {
    this.bySub.set(account.sub, account);
    this.persist();
    return account;
  }

  private persist() {
    if (this.file === undefined) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(this.list(), null, 2)}\n`);
  }
}
