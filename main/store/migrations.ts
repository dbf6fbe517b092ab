// The ordered list of Strata schema migrations, one file each in migrations/. Later issues append here;
// never edit a released entry. Versions 2-5 are reserved for the crypt, scan and HSM filters' tables and the agent's.
import type { Migration } from './migration.js';
import { settingsMigration } from './migrations/001-settings.js';
import { cryptMigration } from './migrations/002-crypt.js';
import { scanMigration } from './migrations/003-scan.js';
import { hsmMigration } from './migrations/004-hsm.js';
import { agentMigration } from './migrations/005-agent.js';
import { vaultTrustMigration } from './migrations/006-vault-trust.js';

export const migrations: readonly Migration[] = [settingsMigration, cryptMigration, scanMigration, hsmMigration, agentMigration, vaultTrustMigration];
