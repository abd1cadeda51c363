// RC4 throughput of our TypeScript implementation (run after `pnpm build`):
//   node packages/rtmpe/bench/rc4-throughput.mjs [megabytes=256]
// In place, 64 KiB at a time, as the RC4 channel works on socket reads. Prints MB/s (10^6 bytes).
import { Rc4 } from '../dist/index.js';

const total = Number(process.argv[2] ?? 256) * 1e6;
const block = new Uint8Array(64 * 1024).map((_, i) => i & 0xff);
const rc4 = new Rc4(new Uint8Array(16).fill(7));
for (let i = 0; i < 200; i++) rc4.process(block); // warm-up
const rounds = [];
for (let round = 0; round < 5; round++) {
  const start = process.hrtime.bigint();
  for (let done = 0; done < total; done += block.length) rc4.process(block);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rounds.push(total / 1e6 / seconds);
}
rounds.sort((a, b) => a - b);
console.log(`RC4: median ${rounds[2].toFixed(0)} MB/s (min ${rounds[0].toFixed(0)}, max ${rounds[4].toFixed(0)}) over 5 rounds of ${total / 1e6} MB`);
