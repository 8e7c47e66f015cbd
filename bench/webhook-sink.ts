/**
 * Benchmark receiver (child process): the tests' WebhookReceiver without recording (answers 200 at
 * once, counts requests) and, on request, reports each webhook-id's receipt time (epoch ms on
 * Date.now's clock, sub-ms precision) to the parent over IPC.
 */
import { WebhookReceiver } from '../src/test-support/webhook-receiver.js';

const receipts: Array<[string, number]> = [];
// Receipt times on the wall clock the server stamps events with (Date.now), at sub-ms resolution:
// performance.timeOrigin can be several ms off Date.now, which alone skewed p50 by that much. The base
// is taken the moment Date.now ticks over to a new millisecond.
const wallBase = (() => {
  const start = Date.now();
  let now = start;
  while (now === start) now = Date.now();
  return now - performance.now();
})();
const receiver = await WebhookReceiver.start({
  record: false,
  onArrival: (req) => {
    const at = wallBase + performance.now();
    const id = req.headers['webhook-id'];
    if (typeof id === 'string') receipts.push([id, at]);
  },
});
process.send!({ port: receiver.port });
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'count') process.send!({ count: receiver.count });
  if (m.cmd === 'receipts') process.send!({ receipts: receipts.splice(0) });
  if (m.cmd === 'reset') {
    receiver.count = 0;
    receipts.length = 0;
    process.send!({ ok: true });
  }
  if (m.cmd === 'exit') void receiver.close().then(() => process.exit(0));
});
