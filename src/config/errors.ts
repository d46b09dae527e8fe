/** A mistake of the user's (bad flag, bad config, unreadable input): one line on stderr and exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
