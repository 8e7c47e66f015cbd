/**
 * Benchmark receiver (child process): answers 200 at once, counts requests and, on request, reports
 * each webhook-id's receipt time (epoch ms on Date.now's clock, sub-ms precision) to the parent over IPC.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

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
let count = 0;
const server = http.createServer((req, res) => {
  const at = wallBase + performance.now();
  req.resume();
  req.on('end', () => {
    count++;
    const id = req.headers['webhook-id'];
    if (typeof id === 'string') receipts.push([id, at]);
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'count') process.send!({ count });
  if (m.cmd === 'receipts') process.send!({ receipts: receipts.splice(0) });
  if (m.cmd === 'reset') {
    count = 0;
    receipts.length = 0;
    process.send!({ ok: true });
  }
  if (m.cmd === 'exit') server.close(() => process.exit(0));
});
