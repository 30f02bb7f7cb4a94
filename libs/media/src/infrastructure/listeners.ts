/**
 * The listeners of one kind of event an SFU adapter tells (link reports, …): each is called in turn,
 * and one that throws is logged and never keeps the others from hearing it.
 */
export class Listeners<T> {
  private readonly all: ((value: T) => void)[] = [];

  /** `logger`: read when a listener fails (the adapter's, which may be set after this is made). */
  constructor(
    private readonly what: string,
    private readonly logger: () => { warn(message: string): void } | undefined,
  ) {}

  add(listener: (value: T) => void): void {
    this.all.push(listener);
  }

  emit(value: T): void {
    for (const listener of this.all) {
      try {
        listener(value);
      } catch (e) {
        this.logger()?.warn(`a ${this.what} listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}
