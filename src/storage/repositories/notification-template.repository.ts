import type { Kysely, Selectable } from 'kysely';

import type { Milestone } from '../../core/notification/milestone.js';
import type {
  NotificationTemplate,
  NotificationTemplateStore,
  TemplateChannel,
  TemplateKey,
  TemplateLocale,
  TemplateParts,
} from '../../core/ports/notification-template.port.js';
import type { Database, NotificationTemplateTable } from '../database.js';
import { newId } from '../ids.js';

function rowToTemplate(row: Selectable<NotificationTemplateTable>): NotificationTemplate {
  return {
    storeId: row.store_id,
    milestone: row.milestone as Milestone,
    channel: row.channel as TemplateChannel,
    locale: row.locale as TemplateLocale,
    subject: row.subject,
    html: row.html,
    text: row.text_body,
    body: row.sms_body,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function partColumns(parts: TemplateParts) {
  return { subject: parts.subject, html: parts.html, text_body: parts.text, sms_body: parts.body };
}

/** Stores' template overrides, one row per (store, milestone, channel, locale). */
export class NotificationTemplateRepository implements NotificationTemplateStore {
  constructor(private readonly db: Kysely<Database>) {}

  async findTemplate(storeId: string, key: TemplateKey): Promise<NotificationTemplate | undefined> {
    const row = await this.db
      .selectFrom('notification_template')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('milestone', '=', key.milestone)
      .where('channel', '=', key.channel)
      .where('locale', '=', key.locale)
      .executeTakeFirst();
    return row ? rowToTemplate(row) : undefined;
  }

  async listTemplates(storeId: string): Promise<NotificationTemplate[]> {
    const rows = await this.db
      .selectFrom('notification_template')
      .selectAll()
      .where('store_id', '=', storeId)
      .orderBy('milestone')
      .orderBy('channel')
      .orderBy('locale')
      .execute();
    return rows.map(rowToTemplate);
  }

  async saveTemplate(
    storeId: string,
    key: TemplateKey,
    parts: TemplateParts,
    now: string,
  ): Promise<{ template: NotificationTemplate; created: boolean }> {
    const existing = await this.findTemplate(storeId, key);
    // The conflict clause covers two saves racing for a new key: the later one wins, as an update.
    await this.db
      .insertInto('notification_template')
      .values({
        id: newId(),
        store_id: storeId,
        milestone: key.milestone,
        channel: key.channel,
        locale: key.locale,
        ...partColumns(parts),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['store_id', 'milestone', 'channel', 'locale'])
          .doUpdateSet({ ...partColumns(parts), updated_at: now }),
      )
      .execute();
    const template = await this.findTemplate(storeId, key);
    if (!template) throw new Error(`template ${key.milestone}/${key.channel}/${key.locale} vanished after saving`);
    return { template, created: existing === undefined };
  }

  async deleteTemplate(storeId: string, key: TemplateKey): Promise<boolean> {
    const result = await this.db
      .deleteFrom('notification_template')
      .where('store_id', '=', storeId)
      .where('milestone', '=', key.milestone)
      .where('channel', '=', key.channel)
      .where('locale', '=', key.locale)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
