import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { ANALYTICS_PERIODS, getDeliveryAnalytics } from '../../app/get-delivery-analytics.js';
import { DomainError, ErrorCode } from '../../core/errors.js';
import { analyticsPanels, PANEL_IDS } from '../../web/dashboard/analytics.view.js';
import { formatDay, jsonForScript, queryString } from '../../web/dashboard/format.js';
import { sendCsv, toCsv } from './csv.js';
import {
  CHART_SCRIPT,
  chromeOf,
  currentStoreOf,
  noticeOf,
  renderPage,
  type DashboardDeps,
} from './dashboard-context.js';
import { parseForm, textField } from './forms.js';

const Query = z.object({ days: textField(3), format: textField(10), table: textField(40) });

export function registerAnalyticsRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get('/analytics', async (request, reply) => {
    const query = parseForm(Query, request.query);
    const days = query.days ? Number(query.days) : 30;
    const store = currentStoreOf(request);
    const data = await getDeliveryAnalytics({ analytics: deps.analytics, clock: deps.clock }, store.id, days);
    const panels = analyticsPanels(data);

    if (query.format === 'csv') {
      const panel = panels.find((p) => p.id === query.table);
      if (!panel) throw new DomainError(ErrorCode.InvalidInput, `table must be one of ${PANEL_IDS.join(', ')}`);
      return sendCsv(reply, `${panel.id}-${days}d-${store.slug}.csv`, toCsv(panel.table.columns, panel.table.rows));
    }

    const lastDay = data.days.at(-1) ?? '';
    return renderPage(reply, 'analytics', {
      title: 'Analytics',
      chrome: chromeOf(request, 'analytics'),
      flash: noticeOf(request),
      scripts: [CHART_SCRIPT, '/assets/dashboard/analytics.js'],
      rangeText: `${formatDay(data.days[0] ?? '', 'UTC')} to ${formatDay(lastDay, 'UTC')}`,
      ranges: ANALYTICS_PERIODS.map((d) => ({
        label: `${d} days`,
        href: `/dashboard/analytics${queryString({ days: d })}`,
        active: d === days,
      })),
      panels: panels.map((p) => ({
        id: p.id,
        title: p.title,
        description: p.description,
        wide: p.wide,
        tableOpen: false,
        table: p.table,
        csvHref: `/dashboard/analytics${queryString({ days, table: p.id, format: 'csv' })}`,
      })),
      chartJson: jsonForScript(Object.fromEntries(panels.map((p) => [p.id, p.chart]))),
    });
  });
}
