import { AppError } from '../platform/errors.js';
import { isCommonPassword } from './common-passwords.js';

export const MIN_PASSWORD_LENGTH = 12;

/** Why a human-chosen password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, context: { email?: string | undefined; username?: string | undefined } = {}): string | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters (got ${length})`;
  if (isCommonPassword(password)) return 'is a common password; choose a longer phrase of unrelated words';
  const lowered = password.toLowerCase();
  for (const name of [context.email, context.email?.split('@')[0], context.username]) {
    if (name && name.length >= 4 && lowered === name.toLowerCase()) return 'must not be the e-mail address or user name';
  }
  return undefined;
}

/**
 * The one password rule for portal users and SFTP logins (API, portal and CLI alike): at least 12
 * characters and not a common password. Refuses with PASSWORD_TOO_WEAK naming the field.
 */
export function assertPasswordPolicy(password: string, field: string, context: { email?: string | undefined; username?: string | undefined } = {}): void {
  const problem = passwordProblem(password, context);
  if (problem) throw new AppError('PASSWORD_TOO_WEAK', `${field} ${problem}`, { fields: [{ field, problem }] });
}
