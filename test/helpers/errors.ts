/** The project's typed error a call throws; fails the test on another error or on none. */
import { isAccelError, type AccelError } from '../../src/core/errors';

export function thrown(fn: () => unknown): AccelError {
  try {
    fn();
  } catch (error) {
    if (isAccelError(error)) return error;
    throw error;
  }
  throw new Error('expected an AccelError, nothing was thrown');
}
