import { createReadStream } from 'node:fs';

/**
 * Lines in a file, streamed (never the whole file in memory): the progress bar's total.
 * A last line without a newline counts; an empty file has 0 lines.
 */
export async function countLines(file: string): Promise<number> {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let at = chunk.indexOf(0x0a);
    while (at !== -1) {
      lines++;
      at = chunk.indexOf(0x0a, at + 1);
    }
    if (chunk.length) last = chunk[chunk.length - 1]!;
  }
  return last === 0x0a ? lines : lines + 1;
}
