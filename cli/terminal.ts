import { createInterface } from 'node:readline/promises';

/** Where the commands talk to the user: the process's streams, replaced in tests. */
export interface Terminal {
  /** Results: text, or JSON with `--json`. */
  readonly stdout: { write(text: string): unknown };
  /** Progress and diagnostics, so that stdout stays parseable. */
  readonly stderr: { write(text: string): unknown };
  /** Asks a question and returns the answer; absent when stdin is not a terminal (a pipe, CI). */
  readonly ask?: (question: string) => Promise<string>;
}

export const processTerminal = (): Terminal => ({
  stdout: process.stdout,
  stderr: process.stderr,
  ...(process.stdin.isTTY === true && {
    ask: async (question: string) => {
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await prompt.question(question);
      } finally {
        prompt.close();
      }
    },
  }),
});

/** One line of JSON, as every `--json` prints a single result. */
export const jsonLine = (value: unknown) => `${JSON.stringify(value)}\n`;

/** Rows under a header, each column as wide as its widest cell, two spaces apart, one line each. */
export const textTable = (header: readonly string[], rows: readonly (readonly string[])[]) => {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
};
