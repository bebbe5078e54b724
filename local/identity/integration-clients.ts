import { randomBytes, randomInt } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The local identity provider's integration clients (Cognito's confidential app clients with the
 * client credentials flow): an id and secret shaped as Cognito's, a name and the scopes their tokens
 * may carry (`closeloop/customers.write`). Created and removed through the provider's Cognito API
 * (`closeloop integrations add|remove`); kept in memory, and in a file (owner-only: it holds secrets)
 * when the stack keeps its data.
 */
export interface IntegrationClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly createdAt: string;
}

const lowerAlphanumeric = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 26 lower-case letters and digits, as Cognito's client ids. */
const clientId = () => Array.from({ length: 26 }, () => lowerAlphanumeric[randomInt(36)]).join('');

export class IntegrationClients {
  private readonly byId = new Map<string, IntegrationClient>();

  constructor(private readonly file?: string) {
    if (file === undefined) return;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    for (const client of JSON.parse(text) as IntegrationClient[]) this.byId.set(client.clientId, client);
  }

  list(): IntegrationClient[] {
    return [...this.byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  find(id: string): IntegrationClient | undefined {
    return this.byId.get(id);
  }

  create(name: string, scopes: readonly string[]): IntegrationClient {
    const client: IntegrationClient = {
      clientId: clientId(),
      clientSecret: randomBytes(32).toString('base64url'),
      name,
      scopes: [...scopes],
      createdAt: new Date().toISOString(),
    };
    this.byId.set(client.clientId, client);
    this.persist();
    return client;
  }

  /** False when there was no such client. */
  delete(id: string): boolean {
    const deleted = this.byId.delete(id);
    if (deleted) this.persist();
    return deleted;
  }

  private persist() {
    if (this.file === undefined) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(this.list(), null, 2)}\n`, { mode: 0o600 });
    chmodSync(this.file, 0o600);
  }
}
