/** Where a provider posts a delivery's reports (./reports.ts mounts /api/v1/delivery-reports/{provider}/{deliveryId}). */
export function reportPath(provider: '46elks' | 'twilio', deliveryId: string): string {
  return `/api/v1/delivery-reports/${provider}/${deliveryId}`;
}
