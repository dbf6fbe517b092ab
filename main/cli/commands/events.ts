// `strata events`: the event log, newest first, filtered and paged; --follow keeps printing new events;
// --prune-older-than deletes old ones.

import { EventAction, EventResult, type EventQuery } from '../../api/index.js';
import { UsageError } from '../cli-error.js';
import type { LeafCommand } from '../command.js';
import { integerFlag, withApi } from './agent-session.js';
import { followEvents } from './events-follow.js';
import { eventLine, timeFlag } from './events-format.js';

export const eventsCommand: LeafCommand = {
  name: 'events',
  summary: 'show the event log (--follow for new events as they happen)',
  define: (cmd) =>
    cmd
      .option('--follow', 'keep printing new events until Ctrl-C')
      .option('--folder <folder>', 'only events of this folder (id, name or path)')
      .option('--action <action...>', `only these actions (${EventAction.options.join(', ')})`)
      .option('--result <result...>', `only these results (${EventResult.options.join(', ')})`)
      .option('--since <time>', 'only events since an ISO time or an age (30m, 12h, 7d)')
      .option('--until <time>', 'only events before an ISO time or an age')
      .option('--search <text>', 'only events whose path or detail contains this')
      .option('--limit <n>', 'at most this many events (default 100, max 1000)')
      .option('--before <id>', 'the page of events older than this id')
      .option('--prune-older-than <time>', 'delete events older than an ISO time or an age, instead of showing'),
  run: (ctx, { options }) =>
    withApi(ctx, async (api, connection) => {
      const pruneBefore = timeFlag(options.pruneOlderThan, '--prune-older-than');
      if (pruneBefore !== undefined) {
        const { deleted } = await api.pruneEvents({ olderThan: pruneBefore });
        return { data: { deleted, olderThan: pruneBefore }, text: `deleted ${deleted} event(s) older than ${pruneBefore}` };
      }
      const query: EventQuery = {
        folder: options.folder as string | undefined,
        actions: checkedList(options.action, EventAction.options, '--action'),
        results: checkedList(options.result, EventResult.options, '--result'),
        since: timeFlag(options.since, '--since'),
        until: timeFlag(options.until, '--until'),
        search: options.search as string | undefined,
        limit: integerFlag(options.limit, '--limit'),
        before: integerFlag(options.before, '--before'),
      };
      const page = await api.queryEvents(query);
      if (options.follow !== true) {
        const more = page.nextBefore === null ? '' : `\n(older events: --before ${page.nextBefore})`;
        return { data: page, text: page.events.length === 0 ? 'no events' : page.events.map(eventLine).reverse().join('\n') + more };
      }
      const print = ctx.json ? (line: unknown) => ctx.io.writeOut(`${JSON.stringify(line)}\n`) : (line: unknown) => ctx.io.writeOut(`${eventLine(line as never)}\n`);
      [...page.events].reverse().forEach(print);
      const folderId = query.folder === undefined ? undefined : (await api.getFolder({ folder: query.folder }).catch(() => null))?.id ?? query.folder;
      await followEvents(api, connection, { ...query, folder: folderId }, page.events[0]?.id ?? 0, ctx.signal, print);
      return { data: undefined, text: '' };
    }),
};

function checkedList<T extends string>(value: unknown, allowed: readonly T[], flag: string): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value as string[];
  const bad = items.find((item) => !allowed.includes(item as T));
  if (bad !== undefined) throw new UsageError(`${flag} '${bad}' is not one of ${allowed.join(', ')}`);
  return items as T[];
}
