/** The two cookies: the session, and the pre-login form token. Both HttpOnly and SameSite=Strict. */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'upsgate_session';
export const FORM_COOKIE = 'upsgate_form';

function options(c: Context, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'Strict' as const,
    // Behind an https proxy the browser should never send it in clear; on plain http it must.
    secure: new URL(c.req.url).protocol === 'https:',
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

export function readCookie(c: Context, name: string): string | undefined {
  return getCookie(c, name);
}

export function writeCookie(c: Context, name: string, value: string, maxAgeSeconds?: number): void {
  setCookie(c, name, value, options(c, maxAgeSeconds));
}

export function clearCookie(c: Context, name: string): void {
  deleteCookie(c, name, options(c));
}
