/**
 * Two tiers: fast domain/unit specs next to the code, and e2e suites against a real database — the
 * latter in three projects by what they need from the machine: nothing (`e2e`), PostgreSQL and Redis
 * servers (`servers`), or the media network namespace (`netns`).
 */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testEnvironment: 'node',
};

/**
 * Suites that run only inside the network namespace of scripts/media-netns.sh (`npm run test:media`):
 * Janus gathers its ICE candidates on `jlo0` there, and Chromium has no way out. The e2e tier
 * leaves them out; the `netns` project is exactly these.
 */
const NETNS_SUITES = [
  'web-account',
  'media-janus',
  'media-signalling',
  'media-recovery',
  'media-conformance',
  'media-instances',
  'web-mediation',
  'web-client',
  'web-states',
  'web-resilience',
  'web-text',
  'web-console',
  'web-floor',
  'web-screen-share',
  'web-phone',
  'media-interpretation',
  'web-interpretation',
  'web-low-bandwidth',
  'web-offline',
  'web-thin-link',
  'web-chunk-failure',
  'web-consultation',
  'web-consultation-slow-link',
];
/**
 * Suites that need PostgreSQL and Redis servers (TEST_DATABASE_URL, TEST_REDIS_URL; `npm run test:servers`):
 * several API processes cannot share the embedded database, which one process owns. The e2e tier
 * leaves them out; the `servers` project is exactly these.
 */
const SERVER_SUITES = [
  'multi-instance',
  'redis-outage',
  'event-order',
  'brute-force-instances',
  'sign-out-instances',
  'socket-budget-instances',
  'proxy-instances',
];
const suitePaths = (names) => names.map((n) => `<rootDir>/test/${n}.e2e-spec.ts`);
const suitePatterns = (names) => names.map((n) => `/test/${n}\\.e2e-spec\\.ts$`);

module.exports = {
  testTimeout: 60000,
  // The e2e suites run one at a time in one worker (`--maxWorkers 1`, not `--runInBand`): each suite
  // starts whole apps with an embedded PostgreSQL, and in one process for all of them the heap grew
  // to 2.7 GB and a late suite's data-folder lock went stale (its 2 s refresh did not run for 10 s).
  // A worker past this size is replaced between suites, and one that does not exit is ended at the close.
  workerIdleMemoryLimit: '1200MB',
  projects: [
    { ...common, displayName: 'unit', rootDir: __dirname, testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...suitePatterns([...NETNS_SUITES, ...SERVER_SUITES])],
    },
    { ...common, displayName: 'servers', rootDir: __dirname, testMatch: suitePaths(SERVER_SUITES) },
    { ...common, displayName: 'netns', rootDir: __dirname, testMatch: suitePaths(NETNS_SUITES) },
  ],
};
