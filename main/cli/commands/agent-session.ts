// How the folder, events and policy commands reach Strata: through the running agent's API, or in-process
// when none runs. API failures become CLI errors that name the field and list every problem found.

import { ApiRequestError, type StrataApi } from '../../api/index.js';
import { connect, type AgentConnection } from '../../agent/agent-client.js';
import { CliError } from '../cli-error.js';
import type { CliContext } from '../command.js';

export async function withApi<T>(ctx: CliContext, fn: (api: StrataApi, connection: AgentConnection) => Promise<T>): Promise<T> {
  const connection = await connect(ctx.dataDir).catch((error: unknown) => {
    throw asCliError(error);
  });
  try {
    return await fn(connection.api, connection);
  } catch (error) {
    throw asCliError(error);
  } finally {
    connection.close();
  }
}

export function asCliError(error: unknown): unknown {
  if (!(error instanceof ApiRequestError)) return error;
  const others = error.problems.filter((p) => !(p.path === error.path && error.message.includes(p.message)));
  const where = error.path !== null && error.path !== '$' && !error.message.includes(error.path) ? ` (at ${error.path})` : '';
  const lines = [`${error.message}${where}`, ...others.map((p) => `  at ${p.path}: ${p.message}`)];
  return new CliError(lines.join('\n'));
}

/** Parses a whole number flag, naming the flag when it is not one. */
export function integerFlag(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text)) throw new CliError(`${flag} needs a whole number, got '${text}'`, 2);
  return Number(text);
}

/** Parses a decimal number flag, naming the flag when it is not one. */
export function numberFlag(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+(\.\d+)?$/.test(text)) throw new CliError(`${flag} needs a number, got '${text}'`, 2);
  return Number(text);
}
