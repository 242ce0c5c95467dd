/** Which SQL the storage speaks; its own file so migrations need not import the database module. */
export type Dialect = 'sqlite' | 'postgres';
