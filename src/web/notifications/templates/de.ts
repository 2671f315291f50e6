import type { LocaleCopy } from './locale-copy.js';

/** German, addressing the customer formally («Sie»). */
export const de: LocaleCopy = {
  milestones: {
    order_confirmed: {
      subject: 'Bestellung <%= it.order %> bestätigt',
      heading: 'Vielen Dank für Ihre Bestellung!',
      body: 'Wir haben Ihre Bestellung <%= it.order %> erhalten und bereiten sie vor. Wir benachrichtigen Sie, sobald sie versandt wird.',
      sms: 'Ihre Bestellung <%= it.order %> ist bestätigt.',
    },
    order_cancelled: {
      subject: 'Ihre Bestellung <%= it.order %> wurde storniert',
      heading: 'Ihre Bestellung wurde storniert',
      body: 'Ihre Bestellung <%= it.order %> bei <%= it.store %> wurde storniert. Falls Sie damit nicht gerechnet haben oder Fragen haben, melden Sie sich gern bei uns.',
      sms: 'Ihre Bestellung <%= it.order %> wurde storniert.',
    },
    shipped: {
      subject: 'Ihre Bestellung <%= it.order %> wurde versandt',
      heading: 'Ihre Bestellung ist unterwegs',
      body: 'Gute Nachrichten: Ihre Bestellung <%= it.order %> wurde<% if (it.carrier) { %> mit <%= it.carrier %><% } %> versandt.<% if (it.edd) { %> Voraussichtliche Zustellung: <%= it.edd %>.<% } %>',
      sms: 'Bestellung <%= it.order %> versandt<% if (it.eddShort) { %>, kommt ca. <%= it.eddShort %><% } %>.',
    },
    in_transit: {
      subject: 'Ihre Bestellung <%= it.order %> ist auf dem Weg zu Ihnen',
      heading: 'Ihr Paket ist unterwegs',
      body: '<% if (it.carrier) { %><%= it.carrier %> hat<% } else { %>Der Versanddienstleister hat<% } %> Ihr Paket der Bestellung <%= it.order %> übernommen; es ist jetzt auf dem Weg zu Ihnen.<% if (it.edd) { %> Voraussichtliche Zustellung: <%= it.edd %>.<% } %>',
      sms: 'Bestellung <%= it.order %> unterwegs<% if (it.eddShort) { %>, kommt ca. <%= it.eddShort %><% } %>.',
    },
    out_for_delivery: {
      subject: 'Ihre Bestellung <%= it.order %> wird heute zugestellt',
      heading: '<% if (it.attempt > 1) { %>Heute neuer Zustellversuch<% } else { %>Heute in Zustellung<% } %>',
      body: '<% if (it.attempt > 1) { %>Der Zusteller versucht heute erneut, Ihr Paket der Bestellung <%= it.order %> zuzustellen.<% } else { %>Ihr Paket der Bestellung <%= it.order %> ist in Zustellung und sollte heute ankommen.<% } %>',
      sms: 'Ihre Bestellung <%= it.order %> wird heute zugestellt.',
    },
    available_for_pickup: {
      subject: 'Ihre Bestellung <%= it.order %> liegt zur Abholung bereit',
      heading: 'Bereit zur Abholung',
      body: 'Ihr Paket der Bestellung <%= it.order %> wartet an der Abholstelle auf Sie. Bitte holen Sie es bald ab: Pakete, die nicht rechtzeitig abgeholt werden, gehen an den Absender zurück. Halten Sie Ihre Sendungsnummer und einen Ausweis bereit.',
      sms: 'Ihre Bestellung <%= it.order %> liegt zur Abholung bereit.',
    },
    attempt_failed: {
      subject: 'Zustellversuch für Ihre Bestellung <%= it.order %> fehlgeschlagen',
      heading: 'Zustellung nicht erfolgreich',
      body: '<% if (it.carrier) { %><%= it.carrier %> konnte<% } else { %>Der Zusteller konnte<% } %> Ihr Paket der Bestellung <%= it.order %><% if (it.attempt > 1) { %> beim <%= it.attempt %>. Versuch<% } %> nicht zustellen. Hier erfahren Sie, was passiert ist und wie es weitergeht.',
      sms: 'Bestellung <%= it.order %> konnte nicht zugestellt werden.',
    },
    delivered: {
      subject: 'Ihre Bestellung <%= it.order %> wurde zugestellt',
      heading: 'Zugestellt!',
      body: 'Ihr Paket der Bestellung <%= it.order %> wurde zugestellt. Wir wünschen Ihnen viel Freude damit! Falls etwas nicht stimmt, sagen Sie uns bitte Bescheid.',
      sms: 'Ihre Bestellung <%= it.order %> wurde zugestellt.',
    },
    exception: {
      subject: 'Neuigkeiten zur Zustellung Ihrer Bestellung <%= it.order %>',
      heading: 'Es gibt ein Problem mit Ihrer Zustellung',
      body: '<% if (it.carrier) { %><%= it.carrier %> hat<% } else { %>Der Versanddienstleister hat<% } %> ein Problem mit Ihrem Paket der Bestellung <%= it.order %> gemeldet. Wir behalten es im Blick.',
      sms: 'Problem bei der Zustellung von Bestellung <%= it.order %>.',
    },
    return_to_sender: {
      subject: 'Ihre Bestellung <%= it.order %> wird an uns zurückgeschickt',
      heading: 'Ihr Paket kommt zu uns zurück',
      body: 'Ihr Paket der Bestellung <%= it.order %> konnte nicht zugestellt werden und wird an uns zurückgeschickt. Bitte melden Sie sich bei uns, damit wir eine Lösung finden.',
      sms: 'Ihre Bestellung <%= it.order %> geht an uns zurück.',
    },
    all_delivered: {
      subject: 'Ihre Bestellung <%= it.order %> wurde vollständig zugestellt',
      heading: 'Alle Pakete zugestellt',
      body: 'Alle Pakete Ihrer Bestellung <%= it.order %> wurden jetzt zugestellt. Wir wünschen Ihnen viel Freude mit Ihrem Einkauf!',
      sms: 'Ihre Bestellung <%= it.order %> ist vollständig zugestellt.',
    },
    fulfillment_delayed: {
      subject: 'Ihre Bestellung <%= it.order %> verzögert sich',
      heading: 'Ihre Bestellung dauert länger als erwartet',
      body: 'Das tut uns leid: Der Versand Ihrer Bestellung <%= it.order %> dauert länger als üblich. Wir kümmern uns darum und melden uns, sobald sie unterwegs ist.',
      sms: 'Versand von Bestellung <%= it.order %> verzögert sich leider.',
    },
    stalled_in_transit: {
      subject: 'Neuigkeiten zu Ihrer Bestellung <%= it.order %>',
      heading: 'Ihr Paket braucht länger als üblich',
      body: 'Für Ihr Paket der Bestellung <%= it.order %> gibt es seit einigen Tagen keine neuen Sendungsdaten<% if (it.carrier) { %> von <%= it.carrier %><% } %>. Das kommt in geschäftigen Zeiten vor. Wir behalten es im Blick und informieren Sie über jede Änderung.',
      sms: 'Seit Tagen keine Sendungsdaten zu Bestellung <%= it.order %>.',
    },
    predicted_late: {
      subject: 'Ihre Bestellung <%= it.order %> kommt möglicherweise später',
      heading: 'Ihre Lieferung verspätet sich möglicherweise',
      body: 'Ihr Paket der Bestellung <%= it.order %> ist verspätet.<% if (it.edd) { %> Es wird jetzt am <%= it.edd %> erwartet.<% } %> Wir bitten um Entschuldigung für die Wartezeit.',
      sms: 'Bestellung <%= it.order %> verspätet<% if (it.eddShort) { %>, jetzt ca. <%= it.eddShort %><% } %>.',
    },
    arriving_today: {
      subject: 'Ihre Bestellung <%= it.order %> kommt heute',
      heading: 'Kommt heute',
      body: 'Ihr Paket der Bestellung <%= it.order %> wird voraussichtlich heute zugestellt.',
      sms: 'Ihre Bestellung <%= it.order %> kommt heute.',
    },
  },
  layout: {
    greeting: '<% if (it.customer) { %>Hallo <%= it.customer %>,<% } else { %>Guten Tag,<% } %>',
    orderNumber: 'Bestellung',
    carrier: 'Versanddienstleister',
    trackingNumber: 'Sendungsnummer',
    estimatedDelivery: 'Voraussichtliche Zustellung',
    trackButton: 'Bestellung verfolgen',
    linkFallback: 'Falls die Schaltfläche nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:',
    needHelp: 'Brauchen Sie Hilfe?',
    helpCentre: 'Hilfe-Center',
    footer: 'Sie erhalten diese E-Mail, weil Sie bei <%= it.store %> bestellt haben.',
    unsubscribe: 'Diese E-Mails abbestellen',
    labelSeparator: ': ',
  },
  journeySteps: {
    ordered: 'Bestellt',
    processing: 'In Bearbeitung',
    shipped: 'Versandt',
    in_transit: 'Unterwegs',
    out_for_delivery: 'In Zustellung',
    delivered: 'Zugestellt',
    ready_for_pickup: 'Abholbereit',
    picked_up: 'Abgeholt',
    return_to_sender: 'Rücksendung an den Absender',
    returned: 'An den Absender zurückgeschickt',
    cancelled: 'Storniert',
  },
  problems: {
    'journey.problem.attempt_failed':
      'Der Zusteller hat versucht, Ihr Paket zuzustellen, was jedoch nicht möglich war. Er versucht es erneut oder hinterlässt eine Benachrichtigung.',
    'journey.problem.recipient_unavailable':
      'Der Zusteller hat versucht, Ihr Paket zuzustellen, aber es war niemand anzutreffen. Er versucht es erneut oder hinterlässt eine Benachrichtigung.',
    'journey.problem.business_closed':
      'Der Zusteller hat versucht, Ihr Paket zuzustellen, aber das Geschäft war geschlossen.',
    'journey.problem.notice_left':
      'Der Zusteller hat versucht, Ihr Paket zuzustellen, und eine Benachrichtigung mit Hinweisen hinterlassen.',
    'journey.problem.location_inaccessible': 'Der Zusteller konnte die Lieferadresse nicht erreichen.',
    'journey.problem.id_verification_failed': 'Der Zusteller konnte die Identität des Empfängers nicht überprüfen.',
    'journey.problem.reschedule_required':
      'Bitte vereinbaren Sie mit dem Versanddienstleister einen neuen Zustelltermin.',
    'journey.problem.payment_due': 'Vor der Zustellung Ihres Pakets ist eine Zahlung (Zölle oder Gebühren) fällig.',
    'journey.problem.address_issue':
      'Der Versanddienstleister hat ein Problem mit der Lieferadresse. Bitte klären Sie sie mit dem Versanddienstleister oder dem Shop.',
    'journey.problem.refused': 'Die Annahme des Pakets wurde bei der Zustellung verweigert.',
    'journey.problem.security_or_fee_issue':
      'Der Versanddienstleister hält Ihr Paket wegen einer Sicherheitsprüfung oder einer Gebühr zurück.',
    'journey.problem.exception':
      'Es gibt ein Problem mit Ihrer Zustellung. Der Versanddienstleister kümmert sich darum.',
    'journey.problem.delayed': 'Ihr Paket verspätet sich.',
    'journey.problem.delayed_weather': 'Ihr Paket verspätet sich wegen schlechten Wetters.',
    'journey.problem.delayed_carrier_processing': 'Ihr Paket verspätet sich beim Versanddienstleister.',
    'journey.problem.customs_hold': 'Ihr Paket wird vom Zoll zurückgehalten.',
    'journey.problem.customs_info_required':
      'Der Zoll benötigt weitere Informationen, bevor Ihr Paket freigegeben werden kann. Bitte wenden Sie sich an den Versanddienstleister.',
    'journey.problem.shipper_data_issue': 'Der Versanddienstleister benötigt weitere Angaben vom Absender.',
    'journey.problem.held_by_carrier': 'Der Versanddienstleister hält Ihr Paket zurück.',
    'journey.problem.recipient_moved': 'Der Versanddienstleister meldet, dass der Empfänger verzogen ist.',
    'journey.problem.recipient_not_found': 'Der Versanddienstleister konnte den Empfänger nicht finden.',
    'journey.problem.unclaimed': 'Ihr Paket wartet auf Abholung. Wird es nicht abgeholt, geht es zurück.',
    'journey.problem.rejected_by_carrier':
      'Der Versanddienstleister konnte Ihr Paket nicht annehmen. Bitte wenden Sie sich an den Shop.',
    'journey.problem.damaged': 'Ihr Paket wurde unterwegs beschädigt. Bitte wenden Sie sich an den Shop.',
    'journey.problem.failure': 'Ihr Paket kann nicht zugestellt werden. Bitte wenden Sie sich an den Shop.',
    'journey.problem.lost':
      'Der Versanddienstleister meldet Ihr Paket als verloren. Bitte wenden Sie sich an den Shop.',
    'journey.problem.return_to_sender':
      'Ihr Paket ist auf dem Rückweg zum Absender. Bitte wenden Sie sich an den Shop.',
    'journey.problem.returned': 'Ihr Paket wurde an den Absender zurückgeschickt. Bitte wenden Sie sich an den Shop.',
    'journey.problem.expired':
      'Vom Versanddienstleister gibt es seit einiger Zeit keine Neuigkeiten. Bitte wenden Sie sich an den Versanddienstleister oder den Shop.',
    'journey.problem.several_parcels':
      'Einige Ihrer Pakete erfordern Aufmerksamkeit. Details zu jedem Paket finden Sie unten.',
  },
};
