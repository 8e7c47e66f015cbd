import { InvalidArgumentError, type Command } from 'commander';
import type { WithContext } from '../platform/cli-output.js';
import { note, printJson } from '../platform/cli-output.js';
import { parseDuration, parseRate, simulateTraffic } from './traffic.js';

function wrap<T>(parse: (v: string) => T) {
  return (v: string): T => {
    try {
      return parse(v);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

/** `comanda simulate --vendor s8ym --rate 5/s --duration 10m`: realistic order traffic through the normal intake. */
export function registerSimulatorCommands(program: Command, withContext: WithContext): void {
  program
    .command('simulate')
    .description('place realistic orders on a vendor at a steady rate (baskets of unit and weighted items, some cancellations)')
    .requiredOption('--vendor <code>', 'vendor platform code (or external id with --chain)')
    .option('--chain <id>', 'chain id, when --vendor is an external id')
    .option('--rate <rate>', 'orders per second: 5/s, 300/m, 2', wrap(parseRate), 1)
    .option('--duration <duration>', 'how long: 30s, 10m, 1h', wrap(parseDuration), 60_000)
    .option('--cancel-percent <n>', 'percent of orders the customer cancels', wrap((v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0 || n > 100) throw new Error('must be 0–100');
      return n;
    }), 5)
    .action(async (o: { vendor: string; chain?: string; rate: number; duration: number; cancelPercent: number }) =>
      withContext(async (ctx) => {
        note(`simulating ${o.rate}/s on ${o.vendor} for ${o.duration / 1000}s …`);
        printJson(await simulateTraffic(ctx, { vendor: o.vendor, chainId: o.chain, ratePerSecond: o.rate, durationMs: o.duration, cancelPercent: o.cancelPercent }));
      }),
    );
}
