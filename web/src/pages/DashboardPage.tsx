import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api, type Answer } from '../api';
import { useChain } from '../chain';
import { DataTable } from '../components/DataTable';
import { ErrorBox, PageHeader, useLoad } from '../components/ui';
import { formatDateTime, formatMoney, localeTag, type Place } from '../format';
import { useI18n } from '../i18n';
import { LiveState, NewOrderAlertToggle, useLive } from '../live';
import { chainPath } from '../paths';
import { Link, useQueryParams } from '../router';

const RANGES = ['today', '7d', '30d'] as const;
type Range = (typeof RANGES)[number];

type Dashboard = Answer<'/chains/{chainId}/dashboard'>;

const pct = (r: number | null, place: Place) => (r === null ? '—' : new Intl.NumberFormat(localeTag(place.locale), { style: 'percent', maximumFractionDigits: 1 }).format(r));

/** 95 s → "1 min 35 s"; 4000 s → "1 h 7 min". */
export function duration(s: number | null): string {
  if (s === null) return '—';
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Hour slots from the window's first hour to now, zero where no order came (uPlot wants every x). */
function hourSeries(d: Dashboard): [number[], number[]] {
  const start = Math.floor(Date.parse(d.from) / 3_600_000) * 3_600_000;
  const end = Date.parse(d.to);
  const counts = new Map(d.per_hour.map((h) => [h.at, h.orders]));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let t = start; t <= end; t += 3_600_000) {
    xs.push(t / 1000);
    ys.push(counts.get(t) ?? 0);
  }
  return [xs, ys];
}

/** Orders per hour as a uPlot bar-like chart, as wide as its card, in the chain's time zone. */
function PerHourChart({ data, label, place }: { data: [number[], number[]]; label: string; place: Place }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const tz = (ts: number) => uPlot.tzDate(new Date(ts * 1000), place.timeZone);
    const u = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: 220,
        tzDate: tz,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] } },
        axes: [
          {
            stroke: '#555',
            // The store's clock and date order (24 h), not uPlot's US defaults: hours within two days, dates beyond.
            values: (u, splits) => {
              const span = (u.scales.x!.max ?? 0) - (u.scales.x!.min ?? 0);
              const fmt = new Intl.DateTimeFormat(localeTag(place.locale), span > 2 * 86_400 ? { day: '2-digit', month: '2-digit', timeZone: place.timeZone } : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: place.timeZone });
              return splits.map((s) => fmt.format(new Date(s * 1000)));
            },
          },
          { stroke: '#555', size: 40 },
        ],
        series: [{}, { label, stroke: '#1f6feb', fill: 'rgba(31,111,235,0.25)', width: 1.5, paths: uPlot.paths.bars!({ size: [0.8, 40] }), points: { show: false } }],
      },
      [[], []],
      el,
    );
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: 220 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [label, place.timeZone, place.locale]);
  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);
  return <div ref={box} className="chart" data-testid="orders-per-hour" data-points={data[1].reduce((a, b) => a + b, 0)} role="img" aria-label={label} />;
}

function Kpi({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId: string }) {
  return (
    <div className="kpi panel" data-testid={testId}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {hint && <div className="kpi-hint muted">{hint}</div>}
    </div>
  );
}

/** Operations → Dashboard: the chain or one store over today / 7 / 30 days, live. */
export function DashboardPage() {
  const { t } = useI18n();
  const { chain, vendors, place, role } = useChain();
  const [params, setParams] = useQueryParams();
  const range: Range = (RANGES as readonly string[]).includes(params.get('range') ?? '') ? (params.get('range') as Range) : 'today';
  const vendorId = params.get('vendor_id') ?? '';
  const ids = { r: useId(), v: useId() };
  const q = new URLSearchParams({ range });
  if (vendorId) q.set('vendor_id', vendorId);
  const dash = useLoad(() => api<Dashboard>('GET', `/chains/${chain.id}/dashboard?${q.toString()}`), [chain.id, range, vendorId]);
  useLive(dash.reload, ['orders', 'deliveries', 'endpoints']);
  const d = dash.data;
  const storePlace: Place = d ? { ...place, currency: d.currency } : place;
  const storeName = (id: string) => vendors?.find((v) => v.id === id)?.name ?? id;
  const series = d ? hourSeries(d) : ([[], []] as [number[], number[]]);

  return (
    <>
      <PageHeader title={t('dash.title')} intro={t('dash.intro')} actions={<NewOrderAlertToggle label={t('live.alert')} />} />
      <form className="panel inline-form" aria-label={t('common.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={ids.r}>{t('dash.range')}</label>
          <select id={ids.r} value={range} onChange={(e) => setParams({ range: e.target.value === 'today' ? null : e.target.value })} data-testid="dash-range">
            {RANGES.map((r) => (
              <option key={r} value={r}>
                {t(`dash.range.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.v}>{t('dash.store')}</label>
          <select id={ids.v} value={vendorId} onChange={(e) => setParams({ vendor_id: e.target.value || null })} data-testid="dash-store">
            <option value="">{t('dash.allStores')}</option>
            {vendors?.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name} ({v.code})
              </option>
            ))}
          </select>
        </div>
      </form>
      <ErrorBox error={dash.error} />
      <p className="muted">
        <LiveState live={t('live.on')} polling={t('live.polling')} /> {d && t('dash.updated', { at: formatDateTime(d.to, place) })}
      </p>
      {d && (
        <>
          <div className="kpis">
            <Kpi testId="kpi-orders" label={t('dash.orders')} value={d.totals.orders.toLocaleString(localeTag(place.locale))} />
            <Kpi testId="kpi-sales" label={t('dash.sales')} value={formatMoney(d.totals.sales, storePlace)} hint={t('dash.salesHint')} />
            <Kpi testId="kpi-cancel" label={t('dash.cancelRate')} value={pct(d.totals.cancellation_rate, place)} hint={`${d.totals.cancelled}`} />
            <Kpi testId="kpi-notfound" label={t('dash.notFoundRate')} value={pct(d.totals.not_found_rate, place)} hint={t('dash.notFoundHint')} />
            <Kpi testId="kpi-ready" label={t('dash.ready')} value={t('dash.readyValue', { p50: duration(d.totals.ready_p50_s), p90: duration(d.totals.ready_p90_s) })} hint={t('dash.readyCount', { n: d.totals.ready_count })} />
          </div>
          <section className="panel">
            <h2>{t('dash.perHour')}</h2>
            <PerHourChart data={series} label={t('dash.perHourLabel')} place={place} />
          </section>
          <section className="panel" data-testid="dash-webhooks">
            <h2>{t('dash.webhooks')}</h2>
            <div className="kpis">
              <Kpi testId="kpi-webhook-success" label={t('dash.successRate')} value={pct(d.webhooks.success_rate, place)} hint={t('dash.deliveries', { n: d.webhooks.deliveries, dead: d.webhooks.dead, pending: d.webhooks.pending })} />
              <Kpi testId="kpi-webhook-p99" label={t('dash.p99')} value={d.webhooks.p99_ms === null ? '—' : `${d.webhooks.p99_ms} ms`} />
            </div>
            {d.endpoints.length === 0 ? (
              <p className="muted">{t('dash.endpointsOk')}</p>
            ) : (
              <ul className="alerts" data-testid="dash-endpoint-alerts">
                {d.endpoints.map((e) => (
                  <li key={e.id} data-endpoint-id={e.id}>
                    <span className="badge revoked">{e.enabled ? t('dash.failingSince', { at: formatDateTime(e.failing_since, place) }) : t('dash.disabled')}</span>{' '}
                    {role === 'admin' ? <Link href={`${chainPath(chain.id, 'integrations/deliveries')}?endpoint_id=${e.id}`}>{e.description || e.url}</Link> : e.description || e.url}
                  </li>
                ))}
              </ul>
            )}
          </section>
          {!d.vendor_id && (
            <section className="panel">
              <h2>{t('dash.byStore')}</h2>
              <DataTable
                columns={[
                  {
                    key: 'store',
                    header: t('dash.store'),
                    rowHeader: true,
                    render: (s) => (
                      <button type="button" className="link" onClick={() => setParams({ vendor_id: s.vendor_id })}>
                        {storeName(s.vendor_id)}
                      </button>
                    ),
                  },
                  { key: 'orders', header: t('dash.orders'), className: 'num', render: (s) => s.orders },
                  { key: 'sales', header: t('dash.sales'), className: 'num nowrap', render: (s) => formatMoney(s.sales, storePlace) },
                  { key: 'cancel', header: t('dash.cancelRate'), className: 'num', render: (s) => pct(s.cancellation_rate, place) },
                  { key: 'notFound', header: t('dash.notFoundRate'), className: 'num', render: (s) => pct(s.not_found_rate, place) },
                ]}
                rows={d.stores}
                rowKey={(s) => s.vendor_id}
                rowProps={(s) => ({ 'data-vendor-id': s.vendor_id })}
                label={t('dash.byStore')}
                testId="dash-stores"
                empty={t('dash.noData')}
              />
            </section>
          )}
        </>
      )}
    </>
  );
}
