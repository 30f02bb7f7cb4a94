import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '../domain/domain-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID is bad input (400 naming the parameter), never a database error. */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  constructor(private readonly field: string) {}

  transform(value: string): string {
    if (!UUID.test(value)) throw new DomainError('VALIDATION_FAILED', `${this.field} must be a UUID`, this.field);
    return value.toLowerCase();
  }
}
