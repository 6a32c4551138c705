import { createDeadLetterQueue, type OutboxItem } from '@hmi/flow';
import { formatTime, renderTable } from '../output/table.js';
import { type CliIo, EXIT, openStateForRead, parsePositiveInt, parseTime, type StateFlags, UsageError } from './context.js';

/** Flags of `hmi dlq`. */
export interface DlqFlags extends StateFlags {
  json: boolean;
  topic?: string;
  point?: string;
  limit?: string;
  all: boolean;
  before?: string;
  payload: boolean;
}

/**
 * `hmi dlq list|inspect|replay|purge`. Payloads may hold patient data: `inspect` shows one only
 * with `--payload`. Replayed items go back to the outbox, where the host's worker delivers them.
 */
export async function dlqCommand(io: CliIo, action: string | undefined, ids: string[], flags: DlqFlags): Promise<number> {
  if (!action || !['list', 'inspect', 'replay', 'purge'].includes(action)) {
    throw new UsageError('hmi dlq list|inspect <id>|replay <id…>|--all|purge <id…>|--all');
  }
  if ((action === 'replay' || action === 'purge') && ids.length === 0 && !flags.all) {
    throw new UsageError(`hmi dlq ${action} needs item ids, or --all (with --topic/--point to narrow it)`);
  }
  if (action === 'inspect' && ids.length !== 1) throw new UsageError('hmi dlq inspect takes one item id');
  const { store } = await openStateForRead(io, flags);
  const dlq = createDeadLetterQueue({ store });
  try {
    switch (action) {
      case 'list': {
        const items = await dlq.list({
          ...(flags.topic && { topic: flags.topic }),
          ...(flags.point && { integrationPoint: flags.point }),
          limit: parsePositiveInt(flags.limit, '--limit', 100),
        });
        if (flags.json) io.stdout.write(`${JSON.stringify(items.map(withoutPayload), null, 2)}\n`);
        else if (items.length === 0) io.stdout.write('the dead-letter queue is empty\n');
        else {
          io.stdout.write(
            renderTable(
              ['ID', 'TOPIC', 'POINT', 'ATTEMPTS', 'DEAD SINCE', 'ERROR', 'REPLAYS'],
              items.map((i) => [
                i.id,
                i.topic,
                i.integrationPoint ?? '-',
                i.attempts,
                formatTime(i.deadAt),
                i.lastError?.code ?? '-',
                i.replays,
              ]),
            ),
          );
        }
        return EXIT.ok;
      }
      case 'inspect': {
        const item = await dlq.get(ids[0]!);
        if (!item) {
          io.stderr.write(`not in the dead-letter queue: ${ids[0]}\n`);
          return EXIT.failure;
        }
        const shown = flags.payload ? item : withoutPayload(item);
        if (flags.json) io.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
        else {
          const lines: Array<[string, string]> = [
            ['id', item.id],
            ['topic', item.topic],
            ['integration point', item.integrationPoint ?? '-'],
            ['connector', item.connector ?? '-'],
            ['ordering key', item.orderingKey ?? '-'],
            ['attempts', String(item.attempts)],
            ['replays', String(item.replays)],
            ['created', formatTime(item.createdAt)],
            ['dead since', formatTime(item.deadAt)],
            ['error', item.lastError ? `${item.lastError.code}: ${item.lastError.message}` : '-'],
          ];
          for (const [k, v] of lines) io.stdout.write(`${`${k}:`.padEnd(19)}${v}\n`);
          io.stdout.write(
            flags.payload
              ? `payload:\n${JSON.stringify(item.payload, null, 2)}\n`
              : 'payload:           (hidden: it may hold patient data; add --payload to show it)\n',
          );
        }
        return EXIT.ok;
      }
      case 'replay': {
        if (flags.all) {
          const count = await dlq.replayAll({
            ...(flags.topic && { topic: flags.topic }),
            ...(flags.point && { integrationPoint: flags.point }),
          });
          io.stdout.write(`replayed ${count} item(s) into the outbox\n`);
          return EXIT.ok;
        }
        let replayed = 0;
        let unknown = 0;
        for (const id of ids) {
          if (await dlq.replay(id)) replayed++;
          else if (await store.getItem(id)) io.stdout.write(`${id}: not dead (already replayed or delivered), left as it is\n`);
          else {
            unknown++;
            io.stderr.write(`${id}: no such item\n`);
          }
        }
        io.stdout.write(`replayed ${replayed} item(s) into the outbox\n`);
        return unknown > 0 ? EXIT.failure : EXIT.ok;
      }
      default: {
        const count = await dlq.purge({
          ...(ids.length > 0 && { ids }),
          ...(flags.topic && { topic: flags.topic }),
          ...(flags.before && { deadBefore: parseTime(flags.before, '--before') }),
        });
        io.stdout.write(`purged ${count} item(s) from the dead-letter queue\n`);
        return EXIT.ok;
      }
    }
  } finally {
    await store.close();
  }
}

function withoutPayload(item: OutboxItem): Omit<OutboxItem, 'payload'> {
  const { payload: _payload, ...rest } = item;
  return rest;
}
