import type { CertificationReport, CheckGroup } from './certify.service.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const GROUPS: Array<{ id: CheckGroup; es: string; en: string }> = [
  { id: 'setup', es: 'Configuración', en: 'Setup' },
  { id: 'orders', es: 'Pedidos', en: 'Orders' },
  { id: 'webhooks', es: 'Webhooks', en: 'Webhooks' },
  { id: 'catalog', es: 'Catálogo', en: 'Catalog' },
];

/** The report as one self-contained, printable HTML page (Spanish and English side by side). */
export function reportHtml(r: CertificationReport): string {
  const verdict = r.status === 'PASSED' ? 'APROBADA / PASSED' : 'NO APROBADA / FAILED';
  const sections = GROUPS.map((g) => {
    const checks = r.checks.filter((c) => c.group === g.id);
    if (!checks.length) return '';
    const rows = checks
      .map(
        (c) => `<tr class="${c.pass ? 'pass' : 'fail'}">
  <td class="res">${c.pass ? '✔ OK' : '✘ FALLA / FAIL'}</td>
  <td><strong>${esc(c.title.es)}</strong><br><span class="en">${esc(c.title.en)}</span><br><code>${esc(c.id)}</code>${c.order_code ? ` · ${esc(c.order_code)}` : ''}</td>
  <td><ul>${c.evidence.map((e) => `<li>${esc(e)}</li>`).join('')}</ul></td>
</tr>`,
      )
      .join('\n');
    return `<h2>${esc(g.es)} / ${esc(g.en)}</h2>
<table><thead><tr><th>Resultado / Result</th><th>Verificación / Check</th><th>Evidencia / Evidence</th></tr></thead><tbody>
${rows}
</tbody></table>`;
  }).join('\n');
  return `<!doctype html>
<html lang="es"><head><meta charset="utf-8">
<title>Homologación ${esc(r.vendor.code)} — ${esc(r.started_at)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#111}
h1{margin:0 0 .25rem}h2{margin-top:1.5rem;border-bottom:1px solid #ccc}
.verdict{font-size:1.3rem;font-weight:700;padding:.4rem .8rem;display:inline-block;border-radius:4px}
.PASSED{background:#e3f5e1;color:#14532d}.FAILED{background:#fde2e1;color:#7f1d1d}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ddd;padding:.4rem;vertical-align:top;text-align:left}
tr.fail td.res{color:#b91c1c;font-weight:700}tr.pass td.res{color:#15803d;font-weight:700}
td.res{white-space:nowrap}ul{margin:0;padding-left:1.1rem}.en{color:#555}code{font-size:12px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}
@media print{body{margin:1cm}tr{break-inside:avoid}}
</style></head><body>
<h1>Homologación / Certification</h1>
<p class="verdict ${r.status}">${verdict}: ${r.summary.passed} ✔ · ${r.summary.failed} ✘</p>
<dl>
<dt>Tienda / Store</dt><dd>${esc(r.vendor.name)} (<code>${esc(r.vendor.code)}</code>${r.vendor.external_id ? `, <code>${esc(r.vendor.external_id)}</code>` : ''})</dd>
<dt>Cadena / Chain</dt><dd><code>${esc(r.chain_id)}</code></dd>
<dt>Webhook</dt><dd>${r.endpoint ? `<code>${esc(r.endpoint.url)}</code>` : '—'}</dd>
<dt>Inicio / Started</dt><dd>${esc(r.started_at)}</dd>
<dt>Fin / Finished</dt><dd>${esc(r.finished_at)}</dd>
<dt>Espera máxima / Timeout</dt><dd>${r.timeout_seconds} s</dd>
<dt>Id</dt><dd><code>${esc(r.id)}</code></dd>
</dl>
${r.summary.failed ? `<p><strong>Fallan / Failing:</strong> ${r.summary.failed_checks.map((c) => `<code>${esc(c)}</code>`).join(', ')}</p>` : ''}
${sections}
</body></html>
`;
}
