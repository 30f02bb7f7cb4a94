import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { nameProblem, normaliseName } from '../domain/names';

/**
 * A name people read as an identity (display name, party name, session title, joint-room name):
 * normalised to NFC and trimmed before validation, then held to `nameProblem`. Put it with the
 * property's `@IsString()` and `@Length()`, which then measure the normalised name.
 */
export function IsName(options?: ValidationOptions): PropertyDecorator {
  const each = options?.each === true;
  const normalise = Transform(({ value }: { value: unknown }) =>
    each && Array.isArray(value) ? value.map((v: unknown) => normaliseName(v)) : normaliseName(value),
  );
  const validate = ValidateBy(
    {
      name: 'isName',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || nameProblem(value) === undefined,
        defaultMessage: (args) =>
          typeof args?.value === 'string' ? (nameProblem(args.value, args.property) ?? '') : `${args?.property} must be a name`,
      },
    },
    options,
  );
  return (target: object, key: string | symbol) => {
    normalise(target, key);
    validate(target, key);
  };
}
