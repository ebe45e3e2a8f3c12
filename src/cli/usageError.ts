/** A command line the CLI cannot run: exit code 2, the message naming the flag or token at fault. */
export class UsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}
