/**
 * Defaults fixed at build time (extension/build.ts replaces these through vite's
 * `define`; the values here are what a development build gets).
 */
declare const __SIGILL_DEFAULT_SERVER__: string | undefined;
declare const __SIGILL_DEFAULT_SMS_DOMAIN__: string | undefined;

export const defaultServerUrl: string = typeof __SIGILL_DEFAULT_SERVER__ === 'string' ? __SIGILL_DEFAULT_SERVER__ : 'http://localhost:8787';
export const defaultSmsDomain: string = typeof __SIGILL_DEFAULT_SMS_DOMAIN__ === 'string' ? __SIGILL_DEFAULT_SMS_DOMAIN__ : 'sms.sigill.se';
