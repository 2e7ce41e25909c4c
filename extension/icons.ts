/**
 * The toolbar and store icons, drawn at build time as PNG (a blue rounded square with a
 * white padlock), so the repository holds no binary files. Node only (build.ts).
 */
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** Whether the point (x, y) in a 0–1 square is part of the padlock. */
function padlock(x: number, y: number): boolean {
  const inBody = x > 0.25 && x < 0.75 && y > 0.45 && y < 0.8;
  const dx = x - 0.5;
  const dy = y - 0.45;
  const radius = Math.hypot(dx, dy);
  const inShackle = y <= 0.45 && radius > 0.12 && radius < 0.19;
  const keyhole = Math.hypot(x - 0.5, y - 0.58) < 0.05 || (Math.abs(x - 0.5) < 0.02 && y > 0.58 && y < 0.7);
  return (inBody && !keyhole) || inShackle;
}

export function iconPng(size: number): Buffer {
  const rows: number[] = [];
  for (let y = 0; y < size; y++) {
    rows.push(0);
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size;
      const v = (y + 0.5) / size;
      const corner = 0.18;
      const cx = Math.min(Math.max(u, corner), 1 - corner);
      const cy = Math.min(Math.max(v, corner), 1 - corner);
      const inside = Math.hypot(u - cx, v - cy) <= corner;
      if (!inside) rows.push(0, 0, 0, 0);
      else if (padlock(u, v)) rows.push(255, 255, 255, 255);
      else rows.push(0x1a, 0x5f, 0xb4, 255);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from(rows))), chunk('IEND', new Uint8Array())]);
}
