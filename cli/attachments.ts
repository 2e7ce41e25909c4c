/**
 * Files named by `--attach`, as client/'s attachment sources: name, media type (from
 * the file name's ending), size, and the bytes read as a stream when they are uploaded.
 *
 * @example
 * const sources = attachmentSources(['avtal.pdf'].map(context.path));
 */
import { createReadStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import type { AttachmentSource } from '../shared/seal-message.js';
import { CliError } from './errors.js';

const mediaTypes: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.html': 'text/html',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.zip': 'application/zip',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.heic': 'image/heic',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.odt': 'application/vnd.oasis.opendocument.text',
};

export function attachmentSources(paths: string[]): AttachmentSource[] {
  return paths.map((path) => {
    let size: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) throw new CliError('attachment_unreadable', `${path} is not a file`);
      size = stat.size;
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError('attachment_unreadable', `cannot read the attachment ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    return {
      name: basename(path),
      type: mediaTypes[extname(path).toLowerCase()] ?? 'application/octet-stream',
      size,
      open: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>,
    };
  });
}
