/** Two tiers: fast domain/unit specs next to the code, and e2e suites against a real database. */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testEnvironment: 'node',
};

module.exports = {
  testTimeout: 60000,
  // The e2e suites run one at a time in one worker (`--maxWorkers 1`, not `--runInBand`): each suite
  // starts whole apps with an embedded PostgreSQL, and in one process for all of them the heap grew
  // to 2.7 GB and a late suite's data-folder lock went stale (its 2 s refresh did not run for 10 s).
  // A worker past this size is replaced between suites, and one that does not exit is ended at the close.
  workerIdleMemoryLimit: '1200MB',
  projects: [
    { ...common, displayName: 'unit', rootDir: __dirname, testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', rootDir: __dirname, testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
