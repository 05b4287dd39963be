// SPDX-License-Identifier: Apache-2.0
// A watch response is a stream of JSON objects, one per line. Chunks from the socket split lines (and multi-byte
// UTF-8 characters) anywhere, so lines are cut from a byte-decoding buffer, never from a single chunk.

/**
 * Yields each non-empty line of a byte stream, without its line ending. A final line without a newline is
 * yielded when the stream ends: the API server always terminates events with `\n`, so such a line is a body cut
 * short and the caller's JSON parse will say so.
 */
export async function* ndjsonLines(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let buffered = '';
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    // Walk with an index and cut the buffer once per chunk: slicing per line is quadratic in a large chunk.
    let start = 0;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(start, newline).trim();
      start = newline + 1;
      if (line) yield line;
      newline = buffered.indexOf('\n', start);
    }
    buffered = buffered.slice(start);
  }
  const rest = (buffered + decoder.decode()).trim();
  if (rest) yield rest;
}
