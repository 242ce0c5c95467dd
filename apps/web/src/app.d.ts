import type { Pitboard, SessionUser } from '@pitboard/server';

declare global {
  namespace App {
    interface Locals {
      user: SessionUser | null;
      sessionId: string | null;
    }
    interface Error {
      message: string;
    }
  }
  // The server core instance shared by server.js (or the dev plugin) and the pages.
  var __pitboard: Pitboard | undefined;
}

export {};
