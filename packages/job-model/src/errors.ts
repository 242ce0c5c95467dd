/** Bad input to an operation (SPEC S3). Thrown before anything changes, so callers can map it to a 400. */
export class JobModelError extends Error {
  constructor(public reason: string) {
    super(reason);
    this.name = 'JobModelError';
  }
}
