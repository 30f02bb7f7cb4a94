import { Body, Controller, Get, Headers, HttpCode, Injectable, Param, Post, UseGuards, type PipeTransform } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  RESPONDENT_CODE_HEADER,
  type BallotItem,
  type ConsultationPublicView,
  type OwnStatement,
  type RespondentStarted,
  type RespondentView,
} from '@parley/contracts';
import { DomainError } from '@parley/platform';
import { RespondentUseCases } from '../../application/respondents.use-cases';
import { CastVoteDto, StartRespondentDto, SubmitStatementDto } from './consultation.dto';
import { RespondentBudget, RespondentLimitGuard } from './respondent-limit.guard';

/** A group link in a path: 22 URL-safe characters (128 bits). Anything else is an unknown link, like a wrong one. */
@Injectable()
class LinkParam implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[A-Za-z0-9_-]{22}$/.test(value)) {
      throw new DomainError('CONSULTATION_LINK_UNKNOWN', 'This consultation link is not known: check it was copied whole.', 'link');
    }
    return value;
  }
}

const Link = () => Param('link', new LinkParam());
const ReturnCode = () => Headers(RESPONDENT_CODE_HEADER);

/** The respondents' door: no account, a group's link and (for their own acts) their return code. */
@ApiTags('consultation (respondents)')
@UseGuards(RespondentLimitGuard)
@Controller('consult/:link')
export class RespondentsController {
  constructor(private readonly respondents: RespondentUseCases) {}

  @Get()
  view(@Link() link: string): Promise<ConsultationPublicView> {
    return this.respondents.publicView(link);
  }

  @Post('respondents')
  @RespondentBudget('start')
  start(@Link() link: string, @Body() dto: StartRespondentDto): Promise<RespondentStarted> {
    return this.respondents.start(link, dto.code);
  }

  @Get('me')
  me(@Link() link: string, @ReturnCode() returnCode?: string): Promise<RespondentView> {
    return this.respondents.me({ link, returnCode });
  }

  @Post('statements')
  @RespondentBudget('statement')
  submit(@Link() link: string, @Body() dto: SubmitStatementDto, @ReturnCode() returnCode?: string): Promise<OwnStatement> {
    return this.respondents.submit({ link, returnCode }, dto.text);
  }

  @Get('ballot')
  ballot(@Link() link: string, @ReturnCode() returnCode?: string): Promise<BallotItem[]> {
    return this.respondents.ballot({ link, returnCode });
  }

  @Post('votes')
  @HttpCode(200)
  vote(@Link() link: string, @Body() dto: CastVoteDto, @ReturnCode() returnCode?: string): Promise<RespondentView> {
    return this.respondents.vote({ link, returnCode }, dto);
  }
}
