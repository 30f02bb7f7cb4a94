import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { ValidateIf, validateSync, type ValidationError } from 'class-validator';
import { DomainError } from '../domain/domain-error';
import { checkInput } from './input-guard';

/**
 * For a field that may be left out but, when sent, must be valid: unlike @IsOptional(), which
 * skips validation for null as well as undefined, a null here is refused like any other wrong value.
 * Keep @IsOptional() only where null means something (and the type says `| null`).
 */
export const IsOptionalNotNull = (): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** The largest value of a PostgreSQL integer (int4) column: a bound for every integer a client sends. */
export const INT4_MAX = 2_147_483_647;

const VALIDATOR_OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

function flatten(errors: ValidationError[], parent = ''): Array<{ field: string; problems: string[] }> {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** class-validator errors → one VALIDATION_FAILED with the first offending field named. */
export function validationFailed(errors: ValidationError[]): DomainError {
  const all = flatten(errors);
  const first = all[0] ?? { field: undefined, problems: ['invalid input'] };
  return new DomainError('VALIDATION_FAILED', first.problems[0] ?? 'invalid input', first.field, { errors: all });
}

/** Validates an inbound socket payload against the same DTO classes HTTP uses. */
export function validatePayload<T extends object>(cls: ClassConstructor<T>, payload: unknown): T {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new DomainError('VALIDATION_FAILED', 'The payload must be a JSON object.', undefined);
  }
  checkInput(payload);
  const instance = plainToInstance(cls, payload);
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  if (errors.length) throw validationFailed(errors);
  return instance;
}

/** For events that take no arguments: nothing, or an empty object. */
export function validateEmptyPayload(payload: unknown): void {
  if (payload === undefined) return;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new DomainError('VALIDATION_FAILED', 'The payload must be a JSON object.', undefined);
  }
  const [extra] = Object.keys(payload);
  if (extra) throw new DomainError('VALIDATION_FAILED', `property ${extra} should not exist`, extra);
}

export const VALIDATION_PIPE_OPTIONS = {
  ...VALIDATOR_OPTIONS,
  transform: true,
  exceptionFactory: validationFailed,
};
