// Shared by the Node and web entry points.

/**
 * Whether `error` is an error thrown by comon-migrate.
 * @param {unknown} error
 * @returns {boolean}
 */
export function isComonMigrateError(error) {
  return error instanceof Error && error.name === 'ComonMigrateError' && typeof error.code === 'string';
}

/** The error the web entry point throws when a function is called before `init()`. */
export function notInitializedError() {
  const error = new Error('comon-migrate is not initialized: call `await init()` once before using it.');
  error.name = 'ComonMigrateError';
  error.code = 'not-initialized';
  error.span = null;
  error.errors = [{ code: error.code, message: error.message, span: null }];
  return error;
}
