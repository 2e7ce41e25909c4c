/**
 * The offscreen document (Chromium): a page of the extension's own origin, with no
 * window, that the worker opens for sends (background/send-context.ts). Unlike the
 * service worker, the browser does not stop it while idle, so an upload of any length
 * runs to its end here. It holds the message's keys and reads the attachments while it
 * seals; it reaches only runtime messaging, so the worker writes the finished body.
 */
import { ask } from '../messages.js';
import { listenAsUploader } from './uploader.js';

listenAsUploader(async (report) => {
  await ask('compose/sent', report);
});
