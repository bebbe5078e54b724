/**
 * How a bulk import's CSV file is cut into chunks that workers import in parallel: pure rules over
 * the file's bytes, no I/O.
 *
 * The rule: chunk boundaries are planned every ~`chunkBytes` bytes; a chunk owns the records that
 * *start* at or after its planned start, up to the start of the next chunk's first record. A record
 * starts right after a line feed (0x0A) that lies outside quotes, so a CRLF line ends at its LF (the
 * CR belongs to the line before) and a line feed inside a quoted field (`"two\nlines"`) is never a
 * boundary. Whether a line feed is inside quotes depends on every quote before it (their count is odd),
 * which a worker reading from the middle of the file cannot know: so the splitter reads the file once,
 * counting quotes and line feeds, and hands each worker the exact byte range of its records and the line
 * number of the first one. A worker then fetches only that range (S3 `Range: bytes=start-end`).
 *
 * The byte tests hold in UTF-8 and Windows-1252, where 0x0A and 0x22 are never part of another
 * character; UTF-16 files are imported as one chunk.
 */

const LINE_FEED = 0x0a;
const QUOTE = 0x22;

export interface ChunkRange {
  readonly chunk: number;
  /** First byte of the chunk's first record. */
  readonly start: number;
  /** One past the chunk's last byte. */
  readonly end: number;
  /** The file line its first record starts on (the header is line 1). */
  readonly firstLine: number;
}

export interface ChunkPlan {
  /** The header line's bytes end here (its line feed included). */
  readonly headerEnd: number;
  readonly size: number;
  /** Lines in the file (a last line without a line feed counts). */
  readonly lines: number;
  readonly chunks: readonly ChunkRange[];
  /** Where the first byte of 0x80 or above is (-1: the file is ASCII), to decide the encoding. */
  readonly firstNonAscii: number;
}

/**
 * Plans the chunks of a file fed to it piece by piece (`push`), in one pass and constant memory:
 * about 1 ns a byte, so the planning of a 1 GB file is bound by how fast it is read.
 */
export class ChunkPlanner {
  private offset = 0;
  private lineFeeds = 0;
  private inQuotes = false;
  private headerEnd = -1;
  private nextBoundary = Number.POSITIVE_INFINITY;
  private firstNonAscii = -1;
  private lastByte = -1;
  private readonly starts: { start: number; firstLine: number }[] = [];

  constructor(private readonly chunkBytes: number) {
    if (!(chunkBytes > 0)) throw new RangeError('chunkBytes must be positive');
  }

  push(bytes: Uint8Array): void {
    for (let index = 0; index < bytes.length; index++) {
      const byte = bytes[index] as number;
      if (byte === QUOTE) this.inQuotes = !this.inQuotes;
      else if (byte === LINE_FEED) {
        this.lineFeeds++;
        if (!this.inQuotes) this.recordStartsAt(this.offset + index + 1);
      } else if (byte >= 0x80 && this.firstNonAscii === -1) this.firstNonAscii = this.offset + index;
    }
    this.offset += bytes.length;
    if (bytes.length > 0) this.lastByte = bytes[bytes.length - 1] as number;
  }

  private recordStartsAt(position: number) {
    if (this.headerEnd === -1) {
      this.headerEnd = position;
      this.nextBoundary = position;
    }
    if (position >= this.nextBoundary) {
      this.starts.push({ start: position, firstLine: this.lineFeeds + 1 });
      this.nextBoundary = position + this.chunkBytes;
    }
  }

  finish(): ChunkPlan {
    const size = this.offset;
    const headerEnd = this.headerEnd === -1 ? size : this.headerEnd;
    const starts = this.starts.filter(({ start }) => start < size);
    const chunks = starts.map(({ start, firstLine }, chunk) => ({
      chunk,
      start,
      end: starts[chunk + 1]?.start ?? size,
      firstLine,
    }));
    return {
      headerEnd,
      size,
      lines: this.lineFeeds + (size > 0 && this.lastByte !== LINE_FEED ? 1 : 0),
      chunks,
      firstNonAscii: this.firstNonAscii,
    };
  }
}

/** Plans the chunks of bytes held in memory (tests, small files). */
export const planChunks = (bytes: Uint8Array, chunkBytes: number): ChunkPlan => {
  const planner = new ChunkPlanner(chunkBytes);
  planner.push(bytes);
  return planner.finish();
};
