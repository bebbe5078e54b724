import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { scanAll } from '../../functions/adapters/dynamodb';
import { aggregateKeysOf, periodsOf } from '../../functions/domain/aggregates';
import { languageOf } from '../../functions/domain/languages';
import { categoryOf } from '../../functions/domain/nps';
import { surveyKeyOf } from '../../functions/domain/survey-link';
import { themesOf } from '../../functions/domain/themes';
import { answerStream } from '../../functions/resources/manifests';
import { queues } from '../../functions/resources/queues';
import { CaseRecord } from '../../functions/schemas/case';
import { CustomerRecord } from '../../functions/schemas/customer';
import { SurveyRecord } from '../../functions/schemas/survey';
import type { StoredEmail } from './ses-store';

/** Every item of a table (the test tables are small enough to scan). */
export const scanTable = scanAll;

/** Every e-mail an SES emulator accepted since `sinceSeconds` (epoch seconds). */
export const storedEmails = async (sesEndpoint: string, sinceSeconds = 0): Promise<StoredEmail[]> => {
  const response = await fetch(`${sesEndpoint}/store?since=${Math.floor(sinceSeconds)}`);
  if (!response.ok) throw new Error(`SES emulator store: HTTP ${response.status}`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
};

export type EmailKind = 'invitation' | 'reminder' | 'alert' | 'update' | 'escalation' | 'digest' | 'other';

/** What an e-mail the pipeline sent is, from its subject. */
export const kindOf = (email: StoredEmail): EmailKind => {
  const { subject } = email;
  if (/^(Reminder|Rappel|Recordatorio)\b/.test(subject)) return 'reminder';
  if (subject.startsWith('Detractor at ')) return 'alert';
  if (subject.startsWith('Update from ')) return 'update';
  if (subject.startsWith('Overdue follow-up at ')) return 'escalation';
  if (subject.includes(': daily NPS digest for ')) return 'digest';
  if (/\/s\/[A-Za-z0-9_-]{22}\?score=/.test(email.body.html ?? '')) return 'invitation';
  return 'other';
};

/** The survey link token of an invitation or reminder (the survey is stored under its `surveyKeyOf`). */
export const tokenOf = (email: StoredEmail) =>
  /\/s\/([A-Za-z0-9_-]{22})\?score=/.exec(email.body.html ?? '')?.[1] ?? '';

/** The case an alert, update or escalation e-mail is about (its `Case:` line). */
export const caseIdOf = (email: StoredEmail) => /^Case: (.+)$/m.exec(email.body.text ?? '')?.[1] ?? '';

/** How many changes of the answer an update e-mail covers (its `Changes since the last update:` line). */
export const changesCoveredBy = (email: StoredEmail) =>
  Number(/^Changes since the last update: (\d+)/m.exec(email.body.text ?? '')?.[1] ?? '0');

/**
 * The drivers' counts a counted answer adds, recounted from the stored answer: the answer, whether it
 * picked reasons and has a comment, each reason picked and each theme of its comment, by category.
 */
export const driverAttributesOf = (survey: SurveyRecord) => {
  const answer = survey.answer;
  if (answer === undefined) return [];
  const category = `${categoryOf(answer.score)}s`;
  const reasons = [...new Set(answer.reasons)];
  const commented = (answer.comment ?? '').trim() !== '';
  return [
    `dr_answers_${category}`,
    ...(reasons.length > 0 ? [`dr_reasons_${category}`] : []),
    ...(commented ? [`dr_comments_${category}`] : []),
    ...reasons.map((reason) => `rs_${reason}_${category}`),
    ...themesOf(answer.comment, languageOf(survey.locale)).map((theme) => `th_${theme}_${category}`),
  ];
};

/** The counts of each aggregate (`scope|period`) recounted from the stored surveys. */
export const recountAggregates = (surveys: readonly SurveyRecord[]) => {
  const expected = new Map<string, Record<string, number>>();
  const add = (keys: readonly { scope: string; period: string }[], attributes: readonly string[]) => {
    for (const key of keys) {
      const id = `${key.scope}|${key.period}`;
      const counts = expected.get(id) ?? {};
      for (const attribute of attributes) counts[attribute] = (counts[attribute] ?? 0) + 1;
      expected.set(id, counts);
    }
  };
  for (const survey of surveys) {
    if (survey.sentAt !== undefined && survey.status !== 'sending')
      add(aggregateKeysOf(survey.storeId, periodsOf(survey.sentAt)), ['invited']);
    for (const answer of survey.answers ?? []) {
      if (answer.verdict?.kind === 'discarded')
        add(aggregateKeysOf(survey.storeId, periodsOf(answer.at)), ['scannerAnswers']);
    }
    if (survey.answer !== undefined) {
      const { score } = survey.answer;
      // Counted in the periods of the first answer a person gave (a scanner's discarded ones do not count).
      const firstAccepted = survey.answers?.find((answer) => answer.verdict?.kind === 'accepted');
      add(
        aggregateKeysOf(
          survey.storeId,
          periodsOf(firstAccepted?.at ?? survey.firstAnsweredAt ?? survey.answer.at),
        ),
        ['total', `${categoryOf(score)}s`, `h${score}`, ...driverAttributesOf(survey)],
      );
    }
  }
  return expected;
};

/** An answer the test's client had acknowledged with a 200. */
export interface PostedAnswer {
  readonly score: number;
  readonly comment?: string;
}

export interface PipelineExpectations {
  /** The customers due in the cycle under test, by id, with their e-mail address. */
  readonly customers: ReadonlyMap<string, string>;
  /** Per survey token, the distinct answers the API acknowledged, in the order they were given. */
  readonly answers: ReadonlyMap<string, readonly PostedAnswer[]>;
  /** Whether a tick past every case's due time has run (and its tasks were worked off). */
  readonly escalated: boolean;
  /**
   * Stream batches the answer-stream consumer gave up on (its answers then recounted by the tick):
   * each leaves its description in the stream's on-failure queue, as in AWS, where it raises the alarm.
   */
  readonly streamBatchesGivenUp?: number;
}

export interface PipelineView {
  readonly db: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  /** The functions' environment: table names and queue URLs. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The e-mails the SES emulator accepted during the run. */
  readonly emails: readonly StoredEmail[];
}

interface Check {
  readonly name: string;
  checked: number;
  lost: number;
  doubled: number;
  readonly problems: string[];
}

const examples = 5;

/** The verdict: every invariant with what it checked, and every breach. */
export interface PipelineReport {
  readonly checks: readonly Check[];
  /** Items checked over all invariants. */
  readonly checked: number;
  /** Invitations, answers, counts, cases or e-mails missing. */
  readonly lost: number;
  /** Invitations, surveys, cases or e-mails sent or made twice. */
  readonly doubled: number;
  /** Messages in a dead-letter queue, or left in a work queue. */
  readonly deadLetters: number;
  /** Each breach, for the test's assertion (empty when every invariant holds). */
  readonly problems: readonly string[];
}

const queueDepth = async (sqs: SQSClient, queueUrl: string) => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesDelayed ?? 0)
  );
};

const groupBy = <T>(items: readonly T[], keyOf: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
};

const sameAnswer = (a: PostedAnswer, b: PostedAnswer) => a.score === b.score && a.comment === b.comment;

/**
 * Reads back everything the pipeline stored, queued and mailed for one cycle, and checks the
 * invariants that must hold however late it got there: every due customer invited exactly once,
 * stored answers = the acknowledged ones, every answer counted once, aggregates = a recount, one case
 * and one alert per detractor survey (one note and update per change, one escalation each), nothing
 * left in a work queue or a dead-letter queue.
 */
export const checkPipeline = async (
  view: PipelineView,
  expected: PipelineExpectations,
): Promise<PipelineReport> => {
  const table = (name: string) => view.env[name] ?? '';
  const [surveyItems, customerItems, caseItems, aggregateItems] = await Promise.all([
    scanTable(view.db, table('SURVEYS_TABLE')),
    scanTable(view.db, table('CUSTOMERS_TABLE')),
    scanTable(view.db, table('CASES_TABLE')),
    scanTable(view.db, table('AGGREGATES_TABLE')),
  ]);
  const surveys = surveyItems.map((item) => SurveyRecord.parse(item));
  const customers = new Map(
    customerItems
      .map((item) => CustomerRecord.parse(item))
      .map((customer) => [customer.customerId, customer]),
  );
  const cases = new Map(
    caseItems.map((item) => CaseRecord.parse(item)).map((caseRecord) => [caseRecord.caseId, caseRecord]),
  );
  const surveysByToken = new Map(surveys.map((survey) => [survey.token, survey]));
  const mailByKind = groupBy(view.emails, kindOf);
  const mail = (kind: EmailKind) => mailByKind.get(kind) ?? [];

  const checks: Check[] = [];
  const check = (name: string) => {
    const created: Check = { name, checked: 0, lost: 0, doubled: 0, problems: [] };
    checks.push(created);
    return created;
  };
  const breach = (target: Check, problem: string, kind?: 'lost' | 'doubled') => {
    if (kind === 'lost') target.lost++;
    if (kind === 'doubled') target.doubled++;
    target.problems.push(problem);
  };

  // 1. Every due customer got exactly one invitation, and nobody else got one.
  const invitations = check('one invitation per due customer');
  const invitationsTo = groupBy(mail('invitation'), (email) => email.destination.to[0] ?? '');
  const dueAddresses = new Set(expected.customers.values());
  for (const [customerId, address] of expected.customers) {
    invitations.checked++;
    const count = invitationsTo.get(address)?.length ?? 0;
    if (count === 0) breach(invitations, `${customerId} was never invited`, 'lost');
    if (count > 1) breach(invitations, `${customerId} was invited ${count} times`, 'doubled');
  }
  for (const [address, emails] of invitationsTo) {
    if (!dueAddresses.has(address)) breach(invitations, `${emails.length} invitation(s) to ${address}`);
  }

  // 2. One survey per due customer, marked sent, behind the link of its e-mail; the customer's history
  // holds it once.
  const surveysPerCustomer = check('one sent survey per due customer, recorded in its history');
  const surveysOf = groupBy(surveys, (survey) => survey.customerId);
  for (const [customerId, address] of expected.customers) {
    surveysPerCustomer.checked++;
    const own = surveysOf.get(customerId) ?? [];
    const [survey] = own;
    if (survey === undefined) {
      breach(surveysPerCustomer, `${customerId} has no survey`, 'lost');
      continue;
    }
    if (own.length > 1) breach(surveysPerCustomer, `${customerId} has ${own.length} surveys`, 'doubled');
    if (survey.sentAt === undefined)
      breach(surveysPerCustomer, `survey of ${customerId} was never marked sent (${survey.status})`, 'lost');
    const link = (invitationsTo.get(address) ?? []).map((email) => surveyKeyOf(tokenOf(email)));
    if (link.length > 0 && !link.includes(survey.token))
      breach(surveysPerCustomer, `the invitation of ${customerId} links to no stored survey`);
    const customer = customers.get(customerId);
    const history = (customer?.surveyHistory ?? []).filter((entry) => entry.surveyId === survey.surveyId);
    if (history.length !== 1 || customer?.surveyHistory.length !== own.length)
      breach(
        surveysPerCustomer,
        `history of ${customerId} holds ${customer?.surveyHistory.length ?? 0} entries`,
      );
    if (customer?.lastCycleAt !== survey.cycleAt)
      breach(surveysPerCustomer, `${customerId} does not record the cycle ${survey.cycleAt}`);
  }

  // 3. Stored answers = acknowledged answers: the same surveys, the same answers in the same order.
  const answers = check('stored answers = acknowledged answers');
  const answered = surveys.filter((survey) => survey.answer !== undefined);
  for (const [token, posted] of expected.answers) {
    answers.checked++;
    const survey = surveysByToken.get(surveyKeyOf(token));
    const stored = survey?.answers ?? [];
    if (survey?.answer === undefined) {
      breach(answers, `the answer to ${token} is not stored`, 'lost');
      continue;
    }
    const same =
      stored.length === posted.length &&
      stored.every((answer, index) => sameAnswer(answer, posted[index] ?? { score: -1 })) &&
      survey.version === posted.length;
    if (!same)
      breach(
        answers,
        `${token} holds ${JSON.stringify(stored.map((answer) => answer.score))} (version ${survey.version}), ` +
          `acknowledged ${JSON.stringify(posted.map((answer) => answer.score))}`,
        stored.length < posted.length ? 'lost' : stored.length > posted.length ? 'doubled' : undefined,
      );
  }
  const answeredKeys = new Set([...expected.answers.keys()].map(surveyKeyOf));
  for (const survey of answered) {
    if (!answeredKeys.has(survey.token)) breach(answers, `${survey.token} holds an answer nobody gave`);
  }

  // 4. Every answer counted, at its latest version, and out of the answers-to-count index.
  const counted = check('every answer counted at its latest version');
  for (const survey of answered) {
    counted.checked++;
    if (survey.counted?.version !== survey.version || survey.counted?.score !== survey.answer?.score)
      breach(
        counted,
        `${survey.token} counted at version ${survey.counted?.version} of ${survey.version}`,
        'lost',
      );
    if (survey.countShard !== undefined) breach(counted, `${survey.token} still waits to be counted`);
  }

  // 5. Every aggregate (store and everyone, day and month, invitations included) = a recount.
  const aggregates = check('aggregates = recount of the surveys');
  const recount = recountAggregates(surveys);
  const storedAggregates = new Map(
    aggregateItems.map((item) => [
      `${String(item.scope)}|${String(item.period)}`,
      Object.fromEntries(
        Object.entries(item).filter(
          // The follow-up counters (`fu…`) count cases, not surveys: recounted from the cases in
          // test/integration/manager-cases.test.ts.
          ([name, value]) =>
            name !== 'scope' &&
            name !== 'period' &&
            !name.startsWith('fu') &&
            // Example comments per theme, not counts.
            !name.startsWith('themeExamples') &&
            Number(value) !== 0,
        ),
      ),
    ]),
  );
  for (const id of new Set([...recount.keys(), ...storedAggregates.keys()])) {
    aggregates.checked++;
    const want = recount.get(id) ?? {};
    const have = storedAggregates.get(id) ?? {};
    for (const attribute of new Set([...Object.keys(want), ...Object.keys(have)])) {
      const difference = Number(have[attribute] ?? 0) - (want[attribute] ?? 0);
      if (difference !== 0)
        breach(
          aggregates,
          `${id} ${attribute}: ${Number(have[attribute] ?? 0)}, recount ${want[attribute] ?? 0}`,
          difference < 0 ? 'lost' : 'doubled',
        );
    }
  }

  // 6. The customer record carries the latest score, on its survey history too.
  const feedback = check('latest score fed back to each customer');
  for (const survey of answered) {
    feedback.checked++;
    const customer = customers.get(survey.customerId);
    const entry = customer?.surveyHistory.find((candidate) => candidate.surveyId === survey.surveyId);
    if (customer?.latestScore !== survey.answer?.score || entry?.score !== survey.answer?.score)
      breach(
        feedback,
        `${survey.customerId} shows ${customer?.latestScore}/${entry?.score}, answered ${survey.answer?.score}`,
        'lost',
      );
  }

  // 7. One case per detractor survey: every survey whose counted answer is a detractor's was handed off,
  // every hand-off opened one case, and each case holds the latest answer.
  const followUps = check('one case per detractor survey, holding the latest answer');
  const handedOff = answered.filter((survey) => survey.followUpQueuedAt !== undefined);
  for (const survey of answered) {
    followUps.checked++;
    const isDetractor = categoryOf(survey.answer?.score ?? 10) === 'detractor';
    const caseRecord = cases.get(survey.surveyId);
    if (isDetractor && caseRecord === undefined)
      breach(followUps, `detractor survey ${survey.surveyId} has no case`, 'lost');
    if (survey.followUpQueuedAt !== undefined) {
      if (caseRecord === undefined)
        breach(followUps, `hand-off of ${survey.surveyId} opened no case`, 'lost');
      if (!(survey.answers ?? []).some((answer) => categoryOf(answer.score) === 'detractor'))
        breach(followUps, `${survey.surveyId} was handed off without a detractor answer`);
      if (survey.followUpAnswerKey !== survey.answerKey)
        breach(followUps, `the follow-up side of ${survey.surveyId} was not told the latest answer`, 'lost');
    }
    if (caseRecord !== undefined && caseRecord.score !== survey.answer?.score)
      breach(
        followUps,
        `case ${survey.surveyId} shows ${caseRecord.score}, answered ${survey.answer?.score}`,
      );
  }
  const handedOffIds = new Set(handedOff.map((survey) => survey.surveyId));
  for (const caseId of cases.keys()) {
    if (!handedOffIds.has(caseId)) breach(followUps, `case ${caseId} has no hand-off behind it`, 'doubled');
  }

  // 8. One alert per case to its owner, and one update per note (a changed answer).
  const alerts = check('one alert per case, every noted change in exactly one update');
  const alertsOf = groupBy(mail('alert'), caseIdOf);
  const updatesOf = groupBy(mail('update'), caseIdOf);
  for (const caseRecord of cases.values()) {
    alerts.checked++;
    const sent = alertsOf.get(caseRecord.caseId) ?? [];
    if (sent.length === 0) breach(alerts, `case ${caseRecord.caseId} alerted nobody`, 'lost');
    if (sent.length > 1) breach(alerts, `case ${caseRecord.caseId} alerted ${sent.length} times`, 'doubled');
    if (sent.some((email) => email.destination.to[0] !== caseRecord.owner))
      breach(alerts, `an alert of ${caseRecord.caseId} went to someone other than ${caseRecord.owner}`);
    if (caseRecord.alertedAt === undefined) breach(alerts, `case ${caseRecord.caseId} is not marked alerted`);
    // Update e-mails are coalesced (one per case per interval at most): each noted change is
    // covered by exactly one of them, which says how many it covers.
    const updates = updatesOf.get(caseRecord.caseId) ?? [];
    const covered = updates.reduce((sum, email) => sum + changesCoveredBy(email), 0);
    if (covered !== caseRecord.notes.length)
      breach(
        alerts,
        `case ${caseRecord.caseId} has ${caseRecord.notes.length} notes and update e-mails covering ${covered}`,
        covered < caseRecord.notes.length ? 'lost' : 'doubled',
      );
    if (updates.length !== (caseRecord.updateMailsSent ?? 0))
      breach(
        alerts,
        `case ${caseRecord.caseId} marks ${caseRecord.updateMailsSent ?? 0} update e-mails sent, ${updates.length} went`,
        updates.length < (caseRecord.updateMailsSent ?? 0) ? 'lost' : 'doubled',
      );
  }
  for (const [caseId, emails] of [...alertsOf, ...updatesOf]) {
    if (!cases.has(caseId)) breach(alerts, `${emails.length} e-mail(s) about an unknown case ${caseId}`);
  }

  // 9. Every overdue case escalated once; never a second digest for a store and day.
  const escalations = check('one escalation per overdue case, one digest per store and day');
  const escalationsOf = groupBy(mail('escalation'), caseIdOf);
  for (const caseRecord of cases.values()) {
    escalations.checked++;
    const sent = escalationsOf.get(caseRecord.caseId)?.length ?? 0;
    if (sent > 1) breach(escalations, `case ${caseRecord.caseId} escalated ${sent} times`, 'doubled');
    if (expected.escalated && (sent === 0 || caseRecord.escalatedAt === undefined))
      breach(escalations, `case ${caseRecord.caseId} was not escalated`, 'lost');
  }
  for (const [subject, emails] of groupBy(
    mail('digest'),
    (email) => `${email.destination.to[0]} ${email.subject}`,
  )) {
    escalations.checked++;
    if (emails.length > 1) breach(escalations, `${emails.length} × "${subject}"`, 'doubled');
  }
  if (mail('other').length > 0) breach(escalations, `${mail('other').length} unexpected e-mail(s)`);

  // 10. Nothing left in a work queue, nothing in a dead-letter queue but the descriptions of the
  // stream batches given up (exactly those).
  const deadLetters = check('nothing in a dead-letter queue or left in a work queue');
  const streamFailures = answerStream.trigger.onFailure;
  let inDeadLetterQueues = 0;
  for (const queue of queues) {
    const [depth, backlog] = await Promise.all([
      queueDepth(view.sqs, view.env[queue.deadLetterEnvVar] ?? ''),
      queueDepth(view.sqs, view.env[queue.envVar] ?? ''),
    ]);
    const givenUp = queue.id === streamFailures.id ? (expected.streamBatchesGivenUp ?? 0) : 0;
    const dlq = Math.abs(depth - givenUp);
    deadLetters.checked += 2;
    inDeadLetterQueues += dlq + backlog;
    if (depth !== givenUp)
      breach(deadLetters, `${depth} message(s) in the ${queue.id} dead-letter queue, ${givenUp} expected`);
    if (backlog > 0) breach(deadLetters, `${backlog} message(s) left in the ${queue.id} queue`);
  }

  const problems = checks.flatMap((one) =>
    one.problems.length <= examples
      ? one.problems.map((problem) => `${one.name}: ${problem}`)
      : [
          ...one.problems.slice(0, examples).map((problem) => `${one.name}: ${problem}`),
          `${one.name}: … and ${one.problems.length - examples} more`,
        ],
  );
  const sum = (pick: (one: Check) => number) => checks.reduce((total, one) => total + pick(one), 0);
  return {
    checks,
    checked: sum((one) => one.checked),
    lost: sum((one) => one.lost),
    doubled: sum((one) => one.doubled),
    deadLetters: inDeadLetterQueues,
    problems,
  };
};

/** 1,234 */
export const figure = (value: number) => value.toLocaleString('en-US');
