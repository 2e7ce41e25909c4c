import { encode } from 'uqr';

/**
 * The animated BankID QR code as SVG drawn in the page from the `qr` string the server
 * returns each second. One `<svg>` stays in place and only its path changes, so the
 * code does not flicker and a screen reader hears its label once.
 *
 * @example
 * const qr = createQrCode('QR-kod för BankID …');
 * panel.append(qr.element);
 * qr.draw('bankid.67df3917-fa0d-44e5-b327-edcc928297f8.0.dc69358e…');
 */
const svgNamespace = 'http://www.w3.org/2000/svg';

export interface QrCode {
  element: SVGSVGElement;
  draw(text: string): void;
}

export function createQrCode(label: string): QrCode {
  const svg = document.createElementNS(svgNamespace, 'svg');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('class', 'qr');
  svg.setAttribute('shape-rendering', 'crispEdges');
  const background = document.createElementNS(svgNamespace, 'rect');
  background.setAttribute('fill', '#fff');
  const path = document.createElementNS(svgNamespace, 'path');
  path.setAttribute('fill', '#000');
  svg.append(background, path);
  let drawn = '';
  return {
    element: svg,
    draw(text) {
      if (text === drawn) return;
      const { data, size } = encode(text, { ecc: 'L', border: 4 });
      let d = '';
      for (let y = 0; y < size; y++) {
        const row = data[y]!;
        for (let x = 0; x < size; x++) if (row[x]) d += `M${x} ${y}h1v1h-1z`;
      }
      svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
      background.setAttribute('width', String(size));
      background.setAttribute('height', String(size));
      path.setAttribute('d', d);
      drawn = text;
    },
  };
}
