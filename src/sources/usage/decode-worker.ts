// SPDX-License-Identifier: Apache-2.0
// Entry of the decode worker thread (decode-pool.ts): the same DecodeSession the calling thread would run, one request
// at a time in the order they come. Replies go back in their wire form (usage-wire.ts: each string once, numbers as
// columns).
import { serveCalls } from '../../runtime/worker-calls.ts';
import { DecodeSession, type DecodeRequest } from './decoder.ts';
import { toWire, type WireReply } from './usage-wire.ts';

const session = new DecodeSession();
serveCalls<DecodeRequest, WireReply>((req) => toWire(req.op, session.handle(req)));
