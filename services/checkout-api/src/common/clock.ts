import { Injectable } from '@nestjs/common';

/** Time is injected (STYLE §5): tests replace this provider. */
@Injectable()
export class Clock {
  nowMs(): number {
    return Date.now();
  }
}
