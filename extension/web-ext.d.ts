/** web-ext ships no types; build.ts and the tests describe the part they use where they use it. */
declare module 'web-ext';
