/**
 * The test app's web page: choose or type an identity, paste or scan (camera, where the browser
 * has BarcodeDetector) a QR code, follow an autostart link, and approve, cancel or fail orders.
 * It only calls the control API next to it.
 */
export const testAppPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>BankID test app (Sigill simulator)</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;max-width:46rem;margin:1.5rem auto;padding:0 1rem;color:#193e4f}
h1{font-size:1.3rem}fieldset{border:1px solid #c8d3d8;border-radius:.4rem;margin:0 0 1rem}
input,select,textarea,button{font:inherit;margin:.2rem 0}textarea,input[type=text]{width:100%;box-sizing:border-box}
button{cursor:pointer}.order{border-top:1px solid #e2e8ea;padding:.5rem 0}.muted{color:#6b7f88}#message{min-height:1.4em;font-weight:600}
video{width:100%;max-height:14rem;display:none}
</style></head><body>
<h1>BankID test app <span class="muted">— simulator</span></h1>
<p id="message" role="status"></p>
<fieldset><legend>Identity</legend>
<select id="preset"></select>
<input id="personalNumber" type="text" placeholder="Personal number, 12 digits" autocomplete="off">
<input id="givenName" type="text" placeholder="Given name"><input id="surname" type="text" placeholder="Surname">
</fieldset>
<fieldset><legend>Start</legend>
<textarea id="code" rows="2" placeholder="bankid.… QR content, an autostart link or an autoStartToken"></textarea>
<button id="use">Use</button> <button id="camera">Scan with camera</button>
<video id="video" playsinline muted></video>
<p class="muted">A QR code is refused when it is more than 2 seconds old, as in the real app.</p>
</fieldset>
<fieldset><legend>Pending orders</legend><div id="orders" class="muted">None.</div></fieldset>
<script type="module">
const $ = (id) => document.getElementById(id);
let redirect = null;
const say = (text) => { $('message').textContent = text; };
async function call(path, body) {
  const response = await fetch(path, { method: body === undefined ? 'GET' : 'POST', headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error?.message ?? 'failed');
  return answer;
}
function identity() {
  const personalNumber = $('personalNumber').value.replace(/\\D/g, '');
  return personalNumber === '' ? undefined : { personalNumber, givenName: $('givenName').value, surname: $('surname').value };
}
async function use(text) {
  text = text.trim();
  try {
    if (text.startsWith('bankid.')) { await call('/control/scan', { qrData: text, identity: identity() }); say('QR code accepted.'); }
    else {
      const url = /autostarttoken=/i.test(text) ? new URL(text.replace(/^bankid:\\/\\/\\//, 'https://app.bankid.com/')) : undefined;
      const token = url ? url.searchParams.get('autostarttoken') : text;
      redirect = url ? url.searchParams.get('redirect') : null;
      await call('/control/open', { autoStartToken: token, identity: identity() }); say('App opened.');
    }
  } catch (error) { say(error.message); }
  refresh();
}
async function act(orderRef, action, extra) {
  try {
    await call('/control/orders/' + encodeURIComponent(orderRef) + '/' + action, { identity: identity(), ...extra });
    say(action + ': done.');
    if (action === 'approve' && redirect && redirect !== 'null') say('Approved. Return: ' + redirect);
  } catch (error) { say(error.message); }
  refresh();
}
async function refresh() {
  const orders = await call('/control/orders');
  const box = $('orders');
  box.replaceChildren();
  if (orders.length === 0) { box.textContent = 'None.'; return; }
  for (const order of orders) {
    const row = document.createElement('div'); row.className = 'order';
    const title = document.createElement('div');
    title.textContent = order.kind + ' · ' + order.hintCode + (order.requiredPersonalNumber ? ' · only ' + order.requiredPersonalNumber : '') + (order.userVisibleText ? ' · “' + order.userVisibleText + '”' : '');
    row.append(title);
    const buttons = order.kind.startsWith('phone/') ? ['open-phone', 'confirm-call', 'approve', 'cancel'] : order.pickedUpBy ? ['approve', 'cancel'] : ['open-app'];
    for (const action of buttons) { const b = document.createElement('button'); b.textContent = action; b.onclick = () => act(order.orderRef, action); row.append(' ', b); }
    const hint = document.createElement('select');
    for (const code of ['certificateErr', 'startFailed', 'expiredTransaction', 'userDeclinedCall', 'notSupportedByUserApp', 'transactionRiskBlocked']) hint.append(new Option(code, code));
    const fail = document.createElement('button'); fail.textContent = 'fail'; fail.onclick = () => act(order.orderRef, 'fail', { hintCode: hint.value });
    row.append(' ', hint, ' ', fail);
    box.append(row);
  }
}
const presets = await call('/control/identities');
$('preset').append(new Option('— choose a test identity —', ''));
for (const p of presets) $('preset').append(new Option(p.givenName + ' ' + p.surname + ' ' + p.personalNumber, p.personalNumber));
$('preset').onchange = () => { const p = presets.find((x) => x.personalNumber === $('preset').value); if (p) { $('personalNumber').value = p.personalNumber; $('givenName').value = p.givenName; $('surname').value = p.surname; } };
$('use').onclick = () => use($('code').value);
$('camera').onclick = async () => {
  if (!('BarcodeDetector' in window)) { say('This browser cannot scan; paste the QR content instead.'); return; }
  const video = $('video'); video.style.display = 'block';
  video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }); await video.play();
  const detector = new BarcodeDetector({ formats: ['qr_code'] });
  const tick = async () => { const [code] = await detector.detect(video); if (code) { video.srcObject.getTracks().forEach((t) => t.stop()); video.style.display = 'none'; use(code.rawValue); } else requestAnimationFrame(tick); };
  tick();
};
const start = new URLSearchParams(location.search);
if (start.get('autostarttoken')) { $('code').value = location.href; }
setInterval(refresh, 1000); refresh();
</script></body></html>`;
