/**
 * The headers every response carries. The Content-Security-Policy allows scripts, styles and
 * connections from this server only and no inline script or style at all, so even markup that
 * slipped through escaping could not run; the page may not be framed (clickjacking); no other
 * site is sent a Referer; the browser may not sniff a type other than the one given.
 */
import { secureHeaders } from 'hono/secure-headers';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

export function securityHeaders() {
  return secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xFrameOptions: 'DENY',
    // same-origin, not no-referrer: under no-referrer Chromium sends `Origin: null` with the page's
    // own form posts, which the CSRF check must refuse. Other sites still get no Referer.
    referrerPolicy: 'same-origin',
    // The box is reached over plain http on a LAN; HSTS would only mislead browsers.
    strictTransportSecurity: false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  });
}
