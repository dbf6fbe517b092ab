// Migration 5: tables of the agent (protected folders, policies, event log). Reserved until the agent lands.
import type { Migration } from '../migration.js';

export const agentMigration: Migration = {
  version: 5,
  name: 'agent',
  up: '-- reserved for the agent (protected folders, policies, event log)',
};
