/** The session cookie's name (contract.md): the same cookie the API and /collab accept. */
export const SESSION_COOKIE = 'session';
