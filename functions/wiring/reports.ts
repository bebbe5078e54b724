import { createAggregateRepository } from '../adapters/aggregate-repository';
import { createAnswerRepository } from '../adapters/answer-repository';
import { createBenchmarkRepository } from '../adapters/benchmark-repository';
import { createCaseRepository } from '../adapters/case-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createStoreRepository } from '../adapters/store-repository';
import { DEFAULT_TESTIMONIAL_TARGET } from '../domain/testimonial-consent';
import { aggregatesTable, benchmarksTable, casesTable, storesTable, surveysTable } from '../resources/tables';
import { readConfig, tableNamesFrom } from '../shared/config';
import { wholeNumber } from '../shared/settings';

/** What the reports API runs with (see its manifest). */
export const reportsWiring = () => {
  const tables = tableNamesFrom({
    aggregates: aggregatesTable,
    stores: storesTable,
    cases: casesTable,
    surveys: surveysTable,
    benchmarks: benchmarksTable,
  });
  const db = createDocumentClient();
  return {
    aggregates: createAggregateRepository(db, tables.aggregates),
    stores: createStoreRepository(db, tables.stores),
    cases: createCaseRepository(db, tables.cases),
    answers: createAnswerRepository(db, { surveys: tables.surveys }),
    benchmarks: createBenchmarkRepository(db, tables.benchmarks),
    testimonialTarget: readConfig({ TESTIMONIAL_TARGET: wholeNumber(DEFAULT_TESTIMONIAL_TARGET) })
      .TESTIMONIAL_TARGET,
  };
};
