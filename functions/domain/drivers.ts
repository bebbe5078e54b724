/**
 * Drivers of the score: the reasons a customer picked on the survey page and the themes of their
 * comment, counted per NPS category into the same aggregates as the score (store and everyone, day
 * and month), and the figures a sum of them gives. Pure functions. See docs/drivers.md.
 */
import { type Reason, reasonCodes } from '../schemas/answer';
import { categoryOf, type NpsCategory, npsOf } from './nps';
import { type Theme, themeCodes } from './theme-codes';

/** What an answer contributes to the drivers: its category, its reasons and its comment's themes. */
export interface DriverMarks {
  readonly score: number;
  readonly reasons: readonly Reason[];
  readonly themes: readonly Theme[];
  readonly commented: boolean;
}

const categoryName: Record<NpsCategory, CategoryName> = {
  promoter: 'promoters',
  passive: 'passives',
  detractor: 'detractors',
};
type CategoryName = 'promoters' | 'passives' | 'detractors';

/** Aggregate attribute names (all numbers): `dr_` totals, `rs_` per reason, `th_` per theme. */
export const driverAttribute = {
  answers: (category: CategoryName) => `dr_answers_${category}`,
  withReasons: (category: CategoryName) => `dr_reasons_${category}`,
  commented: (category: CategoryName) => `dr_comments_${category}`,
  reason: (reason: Reason, category: CategoryName) => `rs_${reason}_${category}`,
  theme: (theme: Theme, category: CategoryName) => `th_${theme}_${category}`,
};

const marksDelta = (marks: DriverMarks, sign: 1 | -1): Record<string, number> => {
  const category = categoryName[categoryOf(marks.score)];
  const attributes = [
    driverAttribute.answers(category),
    ...(marks.reasons.length > 0 ? [driverAttribute.withReasons(category)] : []),
    ...(marks.commented ? [driverAttribute.commented(category)] : []),
    ...marks.reasons.map((reason) => driverAttribute.reason(reason, category)),
    ...marks.themes.map((theme) => driverAttribute.theme(theme, category)),
  ];
  return Object.fromEntries(attributes.map((attribute) => [attribute, sign]));
};

/**
 * What changes in each aggregate when the counted answer of a survey goes from `before` (none if it
 * was not counted yet, or counted before drivers were: then it never added to them) to `after`:
 * minus the old answer's category, reasons and themes, plus the new one's. Attributes that do not
 * change are left out, so an unchanged answer changes nothing.
 */
export const reasonDelta = (before: DriverMarks | undefined, after: DriverMarks): Record<string, number> => {
  const delta: Record<string, number> = {};
  for (const part of [...(before === undefined ? [] : [marksDelta(before, -1)]), marksDelta(after, 1)]) {
    for (const [name, amount] of Object.entries(part)) delta[name] = (delta[name] ?? 0) + amount;
  }
  return Object.fromEntries(Object.entries(delta).filter(([, amount]) => amount !== 0));
};

type ByCategory = Readonly<Record<CategoryName, number>>;

/** The driver counts of an aggregate item, or of a sum of them. */
export interface DriverCounts {
  readonly answers: ByCategory;
  readonly withReasons: ByCategory;
  readonly commented: ByCategory;
  readonly reasons: Readonly<Record<Reason, ByCategory>>;
  readonly themes: Readonly<Record<Theme, ByCategory>>;
}

const byCategory = <V = number>(count: (category: CategoryName) => V): Readonly<Record<CategoryName, V>> => ({
  promoters: count('promoters'),
  passives: count('passives'),
  detractors: count('detractors'),
});

const byKey = <K extends string, V>(keys: readonly K[], value: (key: K) => V) =>
  Object.fromEntries(keys.map((key) => [key, value(key)])) as Record<K, V>;

export const driverCountsOfItem = (item: Readonly<Record<string, unknown>>): DriverCounts => {
  const count = (name: string) => Number(item[name] ?? 0);
  return {
    answers: byCategory((category) => count(driverAttribute.answers(category))),
    withReasons: byCategory((category) => count(driverAttribute.withReasons(category))),
    commented: byCategory((category) => count(driverAttribute.commented(category))),
    reasons: byKey(reasonCodes, (reason) =>
      byCategory((category) => count(driverAttribute.reason(reason, category))),
    ),
    themes: byKey(themeCodes, (theme) =>
      byCategory((category) => count(driverAttribute.theme(theme, category))),
    ),
  };
};

export const noDriverCounts = driverCountsOfItem({});

const addByCategory = (a: ByCategory, b: ByCategory): ByCategory =>
  byCategory((category) => a[category] + b[category]);

export const addDriverCounts = (a: DriverCounts, b: DriverCounts): DriverCounts => ({
  answers: addByCategory(a.answers, b.answers),
  withReasons: addByCategory(a.withReasons, b.withReasons),
  commented: addByCategory(a.commented, b.commented),
  reasons: byKey(reasonCodes, (reason) => addByCategory(a.reasons[reason], b.reasons[reason])),
  themes: byKey(themeCodes, (theme) => addByCategory(a.themes[theme], b.themes[theme])),
});

/** Shares by category; null when there is nothing to divide by. */
export interface CategoryShares {
  readonly promoters: number | null;
  readonly passives: number | null;
  readonly detractors: number | null;
}

/** The figures of one reason or theme. */
export interface DriverFigures {
  /** Answers that named it (picked the reason, or wrote about the theme). */
  readonly mentions: number;
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  /** Of the answers that named it, the share of promoters, passives and detractors (sum 1). */
  readonly share: CategoryShares;
  /**
   * Of all promoters (passives, detractors) counted for the drivers, the share that named it: the
   * reasons picked add up to more than 1 when answers pick several.
   */
  readonly shareOfCategory: CategoryShares;
  /** The NPS of the customers who named it, its 95% margin (adjusted Wald); null without any. */
  readonly nps: number | null;
  readonly marginOfError: number | null;
  /** Fewer than 30 answers named it. */
  readonly lowConfidence: boolean;
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

export const driverFiguresOf = (named: ByCategory, answers: ByCategory): DriverFigures => {
  const result = npsOf(named);
  const mentions = named.promoters + named.passives + named.detractors;
  return {
    mentions,
    ...named,
    share: byCategory((category) => ratio(named[category], mentions)),
    shareOfCategory: byCategory((category) => ratio(named[category], answers[category])),
    nps: result.nps ?? null,
    marginOfError: result.marginOfError ?? null,
    lowConfidence: result.lowConfidence,
  };
};

const total = (counts: ByCategory) => counts.promoters + counts.passives + counts.detractors;

/** The drivers of a scope and period: answers counted, and each reason and theme. */
export interface DriversFigures {
  /** Answers counted for the drivers (since drivers are counted). */
  readonly answers: number;
  /** Of those, the answers that picked at least one reason, and the answers with a comment. */
  readonly withReasons: number;
  readonly withComments: number;
  /** Every reason, most named first; `shareOfCategory` is over `answers`. */
  readonly reasons: readonly ({ readonly reason: Reason } & DriverFigures)[];
  /** Every theme, most named first; `shareOfCategory` is over the answers with a comment. */
  readonly themes: readonly ({ readonly theme: Theme } & DriverFigures)[];
}

/** The drivers of a sum of aggregates: every reason and theme, most named first (then code order). */
export const driversFiguresOf = (counts: DriverCounts): DriversFigures => {
  const ranked = <K extends string>(keys: readonly K[], of: (key: K) => ByCategory, base: ByCategory) =>
    keys
      .map((key, order) => ({ key, order, figures: driverFiguresOf(of(key), base) }))
      .sort((a, b) => b.figures.mentions - a.figures.mentions || a.order - b.order);
  return {
    answers: total(counts.answers),
    withReasons: total(counts.withReasons),
    withComments: total(counts.commented),
    reasons: ranked(reasonCodes, (reason) => counts.reasons[reason], counts.answers).map(
      ({ key, figures }) => ({ reason: key, ...figures }),
    ),
    themes: ranked(themeCodes, (theme) => counts.themes[theme], counts.commented).map(({ key, figures }) => ({
      theme: key,
      ...figures,
    })),
  };
};

/** Example comments shown per theme: the latest few. */
export const EXAMPLES_PER_THEME = 3;
/**
 * Example comments kept per theme, per store and month: a few more than shown, so that a comment
 * changed to another theme (which leaves its place) rarely leaves fewer than `EXAMPLES_PER_THEME`.
 */
export const EXAMPLES_KEPT = 5;
/** An example comment is cut to this many characters (the aggregate item stays small). */
export const EXAMPLE_LENGTH = 280;

/** A comment shown as an example of a theme (kept in the store's month aggregate, see `withExample`). */
export interface ThemeExample {
  readonly surveyId: string;
  readonly score: number;
  readonly comment: string;
  /** When it was given. */
  readonly at: string;
  /** The day (UTC) the survey is counted in. */
  readonly day: string;
}

export type ThemeExamples = Readonly<Partial<Record<Theme, readonly ThemeExample[]>>>;

/** A comment cut to `EXAMPLE_LENGTH` characters at most (whole code points), with an ellipsis. */
export const exampleText = (comment: string) => {
  const characters = [...comment.trim()];
  return characters.length <= EXAMPLE_LENGTH
    ? characters.join('')
    : `${characters
        .slice(0, EXAMPLE_LENGTH - 1)
        .join('')
        .trimEnd()}…`;
};

const latestFirst = (a: ThemeExample, b: ThemeExample) =>
  b.at.localeCompare(a.at) || a.surveyId.localeCompare(b.surveyId);

/**
 * The examples once a survey's counted answer is `example` under `themes` (none: it no longer
 * illustrates any): the survey's earlier example leaves every theme, the new one joins its themes,
 * and each theme keeps its `EXAMPLES_KEPT` latest. Safe to repeat. An example evicted for newer ones
 * does not come back when those leave (its answer is not read again): the kept examples are the latest
 * of the theme's comments, with places left empty by comments that changed theme.
 */
export const withExample = (
  examples: ThemeExamples,
  surveyId: string,
  example: ThemeExample | undefined,
  themes: readonly Theme[],
): ThemeExamples => {
  const result: Partial<Record<Theme, ThemeExample[]>> = {};
  for (const theme of themeCodes) {
    const kept = (examples[theme] ?? []).filter((entry) => entry.surveyId !== surveyId);
    if (example !== undefined && themes.includes(theme)) kept.push(example);
    kept.sort(latestFirst);
    if (kept.length > 0) result[theme] = kept.slice(0, EXAMPLES_KEPT);
  }
  return result;
};

/** The latest examples of each theme over several sets (stores, months), within [from, to] (days). */
export const mergeExamples = (sets: readonly ThemeExamples[], from: string, to: string): ThemeExamples => {
  const result: Partial<Record<Theme, ThemeExample[]>> = {};
  for (const theme of themeCodes) {
    const all = sets
      .flatMap((set) => set[theme] ?? [])
      .filter((example) => example.day >= from && example.day <= to)
      .sort(latestFirst)
      .slice(0, EXAMPLES_PER_THEME);
    if (all.length > 0) result[theme] = all;
  }
  return result;
};
