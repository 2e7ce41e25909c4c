/**
 * Files dropped on an element, as a person drags them from their desktop: the element
 * shows `over` while files are above it, and a drop hands them on instead of the
 * browser opening them. The toolbox's attachments and the extension's editor use it.
 *
 * @example
 * acceptDrops(zone, (files) => add(files));
 */
export function acceptDrops(zone: HTMLElement, onFiles: (files: FileList) => void): void {
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    if (event.dataTransfer?.files.length) onFiles(event.dataTransfer.files);
  });
}
