import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RESPONDENT_CODE_HEADER } from '@parley/contracts';
import type { AppConfig, Limiter, RateLimits } from '@parley/platform';
import { codeHash, newCode } from '../../domain/consultation';
import { RespondentLimitGuard } from './respondent-limit.guard';
import { RespondentsController } from './respondents.controller';

const LINK = 'AAAAAAAAAAAAAAAAAAAAAA';
const ADDRESS = '192.0.2.7';
const CODE = newCode();

/** What the guard spends, in order: [limiter, key]. */
async function spentOn(route: keyof RespondentsController, withCode: boolean): Promise<Array<[string, string]>> {
  const spent: Array<[string, string]> = [];
  const limits = {
    limiter: (name: string) => ({ name }) as unknown as Limiter,
    consume: (limiter: Limiter, key: string) => {
      spent.push([(limiter as unknown as { name: string }).name, key]);
      return Promise.resolve();
    },
  } as unknown as RateLimits;
  const limit = { points: 1, seconds: 1 };
  const config = {
    rateLimits: { consultationAddress: limit, consultationLink: limit, consultationRespondent: limit, consultationStatements: limit },
  } as AppConfig;
  const req = {
    ip: ADDRESS,
    params: { link: LINK },
    // As typed on a phone: lower case, no dashes. The key is the hash of the code as it normalises.
    headers: withCode ? { [RESPONDENT_CODE_HEADER]: CODE.toLowerCase().replace(/-/g, '') } : {},
  };
  // The route's own handler, as Nest hands it to guards: its metadata is what the decorator put there.
  const handler: unknown = Reflect.get(RespondentsController.prototype, route);
  const context = { switchToHttp: () => ({ getRequest: () => req }), getHandler: () => handler } as unknown as ExecutionContext;
  const sut = new RespondentLimitGuard(limits, new Reflector(), config);
  expect(await sut.canActivate(context)).toBe(true);
  return spent;
}

describe('RespondentLimitGuard', () => {
  const address: [string, string] = ['consultation-address', ADDRESS];
  const link: [string, string] = ['consultation-link', LINK];
  const respondent: [string, string] = ['consultation-respondent', codeHash(CODE)];
  const statements: [string, string] = ['consultation-statements', codeHash(CODE)];

  it.each<[keyof RespondentsController, boolean, Array<[string, string]>]>([
    ['view', false, [address]],
    ['start', false, [address, link]],
    ['start', true, [address, link, respondent]],
    ['me', true, [address, respondent]],
    ['submit', true, [address, respondent, statements]],
    ['submit', false, [address]],
    ['ballot', true, [address, respondent]],
    ['vote', true, [address, respondent]],
  ])('%s, return code sent: %s — spends the budgets of its row, in order', async (route, withCode, expected) => {
    expect(await spentOn(route, withCode)).toEqual(expected);
  });
});
