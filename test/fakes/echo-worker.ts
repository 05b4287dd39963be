// SPDX-License-Identifier: Apache-2.0
// A worker for the WorkerCalls tests: `echo` answers its bytes' sum (they arrive moved, not copied) with a buffer of
// its own moved back, `throw` throws the named error, `exit` ends the thread, `count` answers how many calls came.
import { serveCalls } from '../../src/runtime/worker-calls.ts';

export type EchoRequest = { op: 'echo'; bytes: Uint8Array } | { op: 'throw'; name: string } | { op: 'exit' } | { op: 'count' };

let calls = 0;
serveCalls<EchoRequest, unknown>((req) => {
  calls++;
  switch (req.op) {
    case 'echo': {
      const back = new Uint8Array([req.bytes.reduce((a, b) => a + b, 0)]);
      return { reply: { sum: back[0], length: req.bytes.length, back }, transfer: [back.buffer] };
    }
    case 'throw':
      throw req.name === 'SyntaxError' ? new SyntaxError('bad input') : Object.assign(new Error('failed'), { name: req.name });
    case 'exit':
      process.exit(3);
    // eslint-disable-next-line no-fallthrough
    case 'count':
      return { reply: calls };
  }
});
