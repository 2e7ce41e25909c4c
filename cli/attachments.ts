/**
 * Files named by `--attach`, as client/'s attachment sources: name, media type (from
 * the file name's ending), size, and the bytes read by position (`read`, so the chunked
 * upload seals any chunk on its own, in constant memory) or as a stream. The path, size
 * and modification time go into the resume file.
 *
 * @example
 * const sources = attachmentSources(['avtal.pdf'].map(context.path));
 */
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
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

export interface FileAttachment extends AttachmentSource {
  path: string;
  mtimeMs: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Exactly `length` bytes of the file from `offset`; the file is opened and closed for each read. */
export async function readFileRange(path: string, offset: number, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    // Not zero-filled first: every byte is read over it (or the read fails).
    const bytes = Buffer.allocUnsafeSlow(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(bytes, filled, length - filled, offset + filled);
      if (bytesRead === 0) throw new CliError('attachment_changed', `${path} became shorter while it was sent; send it again`);
      filled += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

export function attachmentSources(paths: string[]): FileAttachment[] {
  return paths.map((path) => {
    let size: number;
    let mtimeMs: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) throw new CliError('attachment_unreadable', `${path} is not a file`);
      ({ size, mtimeMs } = stat);
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError('attachment_unreadable', `cannot read the attachment ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    return {
      name: basename(path),
      type: mediaTypes[extname(path).toLowerCase()] ?? 'application/octet-stream',
      size,
      path,
      mtimeMs,
      open: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>,
      read: (offset, length) => readFileRange(path, offset, length),
    };
  });
}
