// SPDX-License-Identifier: Apache-2.0
// Entry of the decode worker thread (decode-pool.ts): the same DecodeSession the calling thread would run, one request
// at a time in the order they come. Replies are cloned back (usage objects are small; the bodies were the bulk).
import { serveCalls } from '../../runtime/worker-calls.ts';
import { DecodeSession, type DecodeReply, type DecodeRequest } from './decoder.ts';

const session = new DecodeSession();
serveCalls<DecodeRequest, DecodeReply>((req) => ({ reply: session.handle(req) }));
