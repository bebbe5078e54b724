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
